package io.streammix.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.streammix.operator.MixTaskReconciler;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.dependent.WorkerPodTemplate;
import io.streammix.operator.events.TaskEvents;
import io.streammix.operator.metrics.OperatorMetrics;
import io.streammix.operator.spec.SpecResolver;
import io.streammix.operator.worker.WorkerClient;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The operator without Quarkus, for tests that must stop and start it (an operator restart) or run
 * it at scale: a real JOSDK {@link Operator} with the flags application.properties gives
 * quarkus-operator-sdk (no SSA, same thread count), the same reconciler and collaborators, and the
 * {@link OperatorConfig} mapping read with its defaults plus the overrides given.
 */
public final class OperatorHarness {
    private OperatorHarness() {
    }

    public static OperatorConfig config(Map<String, String> overrides) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(OperatorConfig.class)
                // Quarkus reads "10s"; plain SmallRye only ISO-8601 durations.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(overrides, "test-overrides", 500))
                .build();
        return config.getConfigMapping(OperatorConfig.class);
    }

    public static Operator start(KubernetesClient client, OperatorConfig config) {
        return start(client, config, null);
    }

    /** @param leaderElection as the chart's replicas run it (prod profile), or null for none */
    public static Operator start(KubernetesClient client, OperatorConfig config, LeaderElectionConfiguration leaderElection) {
        return start(client, config, leaderElection, Set.of());
    }

    /**
     * @param leaderElection as the chart's replicas run it (prod profile), or null for none
     * @param namespaces     the watched namespaces ({@code quarkus.operator-sdk.controllers.mixtask.namespaces}); empty: all
     */
    public static Operator start(KubernetesClient client, OperatorConfig config, LeaderElectionConfiguration leaderElection,
                                 Set<String> namespaces) {
        Operator operator = new Operator(o -> o.withKubernetesClient(client)
                .withLeaderElectionConfiguration(leaderElection)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withUseSSAToPatchPrimaryResource(false)
                .checkingCRDAndValidateLocalModel(false)
                .withConcurrentReconciliationThreads(20)
                .withCloseClientOnStop(false));
        operator.register(new MixTaskReconciler(config, new SpecResolver(config, client), new WorkerClient(config),
                new WorkerPodTemplate(config), new TaskEvents(client),
                new OperatorMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), config)),
                o -> {
                    if (!namespaces.isEmpty()) {
                        o.settingNamespaces(namespaces);
                    }
                });
        operator.start();
        return operator;
    }

    public static void createCrd(KubernetesClient client) {
        try (InputStream in = new FileInputStream(CrdSetup.CRD_FILE)) {
            client.apiextensions().v1().customResourceDefinitions().load(in).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
