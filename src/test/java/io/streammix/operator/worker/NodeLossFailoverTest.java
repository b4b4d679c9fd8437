package io.streammix.operator.worker;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When fast failover takes a worker's node for lost: both silences long enough, and only then. */
@EnableKubernetesMockClient(crud = true)
class NodeLossFailoverTest {
    static KubernetesClient client;

    final Instant now = Instant.parse("2026-12-06T12:00:00Z");
    final Optional<Pod> pod = Optional.of(new PodBuilder().withNewMetadata().withName("mt-a-1").endMetadata()
            .withNewSpec().withNodeName("node-b").endSpec().build());

    private void lease(Instant renewed) {
        client.leases().inNamespace(NodeLossFailover.LEASE_NAMESPACE).resource(new LeaseBuilder().withNewMetadata()
                .withName("node-b").withNamespace(NodeLossFailover.LEASE_NAMESPACE).endMetadata()
                .withNewSpec().withRenewTime(renewed.atZone(ZoneOffset.UTC)).withLeaseDurationSeconds(40).endSpec().build())
                .createOr(r -> r.update());
    }

    @Test
    void aSilentWorkerOnANodeWhoseLeaseIsStaleIsLostWithIt() {
        lease(now.minusSeconds(12));
        assertThat(new NodeLossFailover(Optional.of(Duration.ofSeconds(10))).lostNode(client, pod, Duration.ofSeconds(11), now))
                .contains("node-b");
    }

    @Test
    void aFreshLeaseOrAShortSilenceOrOffIsNotALostNode() {
        lease(now.minusSeconds(3));
        NodeLossFailover failover = new NodeLossFailover(Optional.of(Duration.ofSeconds(10)));
        assertThat(failover.lostNode(client, pod, Duration.ofSeconds(30), now)).as("the kubelet still renews").isEmpty();
        lease(now.minusSeconds(30));
        assertThat(failover.lostNode(client, pod, Duration.ofSeconds(5), now)).as("the worker was silent only 5 s").isEmpty();
        assertThat(new NodeLossFailover(Optional.empty()).lostNode(client, pod, Duration.ofSeconds(30), now)).as("off").isEmpty();
        assertThat(failover.lostNode(client, Optional.empty(), Duration.ofSeconds(30), now)).as("no pod").isEmpty();
    }
}
