package io.streammix.operator;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.testing.kube.ChartRelease;
import io.streammix.testing.kube.ControlPlane;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chart with {@code watchNamespaces: [multi-a, multi-b]} on the real API server. Before, JOSDK gave both
 * namespaces' informers one store of ours and each informer's list removed the other namespace's objects from it: the
 * MixTasks that existed when the operator started never got a status (this test fails there at the first wait).
 * Here: tasks created before the operator and after it get their worker and become Ready in both namespaces, a third
 * namespace's task is left alone, and deleting a task in one namespace leaves the other's worker and status as they were.
 */
@Tag(ControlPlane.TAG)
class SeveralNamespacesOnApiServerTest {

    @Test
    void tasksInEachWatchedNamespaceAreReconciledAndStayApart() {
        ControlPlane cp = ControlPlane.forMixTasks();
        KubernetesClient admin = cp.adminClient();
        for (String ns : new String[]{"multi-a", "multi-b", "multi-c"}) {
            cp.kubectl("create", "namespace", ns);
        }
        ChartRelease release = ChartRelease.install(cp, "multi-mixtask-operator", "mixtask-multi",
                Map.of("watchNamespaces[0]", "multi-a", "watchNamespaces[1]", "multi-b", "statusRefreshInterval", "2s",
                        "statusFiguresInterval", "4s", "leaderElection.enabled", "false"));
        apply(cp, "multi-a", "early-a");
        apply(cp, "multi-b", "early-b");
        apply(cp, "multi-c", "unwatched");
        try (ChartRelease.Running operator = release.startOperator(ChartRelease.LOOPBACK_OVERRIDES, null)) {
            ready(cp, "multi-a", "early-a");
            ready(cp, "multi-b", "early-b");
            apply(cp, "multi-a", "late-a");
            ready(cp, "multi-a", "late-a");
            assertThat(admin.resources(MixTask.class).inNamespace("multi-c").withName("unwatched").get().getStatus())
                    .as("a namespace the release does not watch is left alone").isNull();
            assertThat(admin.apps().deployments().inNamespace("multi-c").list().getItems()).isEmpty();

            String workerB = deployment(admin, "multi-b", "early-b").getMetadata().getUid();
            cp.kubectl("delete", "mt", "early-a", "-n", "multi-a", "--wait=true").assertSuccess();
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.apps().deployments().inNamespace("multi-a")
                    .withName("mt-early-a").get() == null);
            // Several refresh intervals: a store that dropped b's objects would recreate its worker or lose its status.
            await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
            assertThat(deployment(admin, "multi-b", "early-b").getMetadata().getUid()).as("b's worker untouched").isEqualTo(workerB);
            ready(cp, "multi-b", "early-b");
            ready(cp, "multi-a", "late-a");
        } finally {
            cp.kubectl("delete", "mt", "--all", "-n", "multi-a", "--wait=true");
            cp.kubectl("delete", "mt", "--all", "-n", "multi-b", "--wait=true");
            cp.kubectl("delete", "mt", "--all", "-n", "multi-c", "--wait=true");
            admin.close();
        }
    }

    private static void apply(ControlPlane cp, String namespace, String name) {
        cp.kubectl().runWithInput(task(name), "apply", "-n", namespace, "-f", "-").assertSuccess();
    }

    private static void ready(ControlPlane cp, String namespace, String name) {
        cp.kubectl("wait", "-n", namespace, "--for=condition=Ready", "mt/" + name, "--timeout=120s").assertSuccess();
    }

    private static Deployment deployment(KubernetesClient admin, String namespace, String task) {
        Deployment d = admin.apps().deployments().inNamespace(namespace).withName("mt-" + task).get();
        assertThat(d).as("worker Deployment of " + namespace + "/" + task).isNotNull();
        return d;
    }

    static String task(String name) {
        return """
                apiVersion: streammix.io/v1alpha1
                kind: MixTask
                metadata:
                  name: %s
                spec:
                  inputs:
                    - name: a
                      url: "synthetic:testsrc?size=320x180&fps=10&tone=440"
                      rect: {left: 0, top: 0, right: 320, bottom: 180}
                  outputs:
                    - name: out
                      streamId: %s
                      video: {width: 320, height: 180, fps: 10, bitrate: 300000}
                      audio: {codec: AAC_LC, bitrate: 64000, channels: 1}
                """.formatted(name, name);
    }
}
