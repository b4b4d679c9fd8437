package io.streammix.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Leader election among operator replicas: only the holder of the Lease reconciles, the others wait
 * to take over. quarkus-operator-sdk uses this bean in the profiles listed in
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod), so tests and dev mode run without it.
 */
public class LeaderElectionProducer {

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        return new LeaderElectionConfiguration(config.leaderElection().leaseName());
    }
}
