package io.streammix.testing.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The harness itself, before anything of the project's runs on it: one node Ready, a pod scheduled and started by
 * containerd, its Service reached by its cluster DNS name from another pod (CoreDNS, kube-proxy, the bridge CNI),
 * {@code kubectl logs} and {@code kubectl exec} through the kubelet, and everything gone after close.
 */
@Tag(NodeCluster.TAG)
class NodeClusterIT {
    @Test
    void aNodeRunsPodsThatReachEachOtherByServiceName() {
        long t0 = System.nanoTime();
        try (NodeCluster cluster = NodeCluster.start(null, "solo"); KubernetesClient admin = cluster.adminClient()) {
            System.out.printf("NodeClusterIT: cold harness start (control plane, scheduler, DNS, one node Ready) in %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
            cluster.kubectl("create", "namespace", "a").assertSuccess();
            cluster.kubectl("run", "server", "-n", "a", "--image=" + NodeCluster.NETCHECK_IMAGE, "--image-pull-policy=Never",
                    "--restart=Never", "--labels=app=server", "--port=8080", "--", "listen", "8080").assertSuccess();
            cluster.kubectl("expose", "pod", "server", "-n", "a", "--port=80", "--target-port=8080").assertSuccess();
            cluster.kubectl("run", "client", "-n", "a", "--image=" + NodeCluster.NETCHECK_IMAGE, "--image-pull-policy=Never",
                    "--restart=Never", "--", "listen", "7777").assertSuccess();
            cluster.kubectl("wait", "-n", "a", "--for=condition=Ready", "pod/server", "pod/client", "--timeout=90s").assertSuccess();
            Pod server = admin.pods().inNamespace("a").withName("server").get();
            assertThat(server.getSpec().getNodeName()).isEqualTo("solo");
            assertThat(server.getStatus().getPodIP()).startsWith("10.244.1.");

            // Up to 90 s: kube-proxy programs the new Service and CoreDNS answers for it some seconds after both pods
            // are Ready; on a loaded 2-core machine once more than 30 s (CI, session 9: every dial "timeout").
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                var dial = cluster.kubectl("exec", "-n", "a", "client", "--", "/netcheck", "dial", "server.a.svc.cluster.local:80", "2000");
                assertThat(dial.out().trim()).as("kubectl exec: " + dial.err()).isEqualTo("connected");
            });
            String log = cluster.kubectl("logs", "-n", "a", "server").assertSuccess().out();
            assertThat(log).contains("listening").contains("accepted 8080 from 10.244.1.");
        }
        assertThat(NodeBinaries.RUN_ROOT).satisfies(r -> assertThat(java.nio.file.Path.of(r, "solo")).doesNotExist());
    }
}
