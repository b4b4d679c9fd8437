package io.streammix.chart;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.testing.kube.ChartRelease;
import io.streammix.testing.kube.ControlPlane;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chart installed by helm-java into the real API server, in a namespace of its own, and the operator run with
 * exactly the release's permissions (a token of its ServiceAccount): the API server accepts every object, RBAC lets
 * the operator do its work and nothing beyond, worker pods pass the ServiceAccount admission plugin in namespaces other
 * than the release's, and replicas share one real Lease. A permission the code uses and the chart lacks shows here as
 * a task that never becomes Ready.
 */
@org.junit.jupiter.api.Tag(io.streammix.testing.kube.ControlPlane.TAG)
class ChartOnApiServerTest {
    static ControlPlane cp;
    static KubernetesClient admin;

    @BeforeAll
    static void cluster() {
        cp = ControlPlane.forMixTasks();
        admin = cp.adminClient();
    }

    @AfterAll
    static void close() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void watchNamespacesConfinesTheOperatorToThoseNamespacesWithRolesOnly() {
        cp.kubectl("create", "namespace", "team-b");
        cp.kubectl("create", "namespace", "team-c");
        ChartRelease release = ChartRelease.install(cp, "scoped-mixtask-operator", "mixtask-scoped",
                Map.of("watchNamespaces[0]", "team-b", "statusRefreshInterval", "2s", "statusFiguresInterval", "4s", "leaderElection.enabled", "false"));
        assertThat(admin.rbac().clusterRoles().withName("scoped-mixtask-operator").get()).as("nothing cluster-wide").isNull();
        assertThat(admin.rbac().roles().inNamespace("team-b").withName("scoped-mixtask-operator").get()).isNotNull();
        assertThat(admin.serviceAccounts().inNamespace("team-b").withName("mixtask-worker").get().getAutomountServiceAccountToken())
                .isFalse();

        try (ChartRelease.Running operator = release.startOperator(ChartRelease.LOOPBACK_OVERRIDES, null);
             KubernetesClient asOperator = release.operatorClient()) {
            cp.kubectl().runWithInput(task("scoped"), "apply", "-n", "team-b", "-f", "-").assertSuccess();
            cp.kubectl().runWithInput(task("elsewhere"), "apply", "-n", "team-c", "-f", "-").assertSuccess();
            cp.kubectl("wait", "-n", "team-b", "--for=condition=Ready", "mt/scoped", "--timeout=90s").assertSuccess();
            assertThat(admin.pods().inNamespace("team-b").withLabelSelector(WorkerNames.TASK_LABEL + "=scoped").list().getItems())
                    .singleElement().satisfies(p -> assertThat(p.getSpec().getServiceAccountName()).isEqualTo("mixtask-worker"));
            assertThat(admin.resources(MixTask.class).inNamespace("team-c").withName("elsewhere").get().getStatus())
                    .as("a namespace the release does not watch is left alone").isNull();

            assertThat(allowed(asOperator, "team-b", "create", "apps", "deployments")).isTrue();
            assertThat(allowed(asOperator, "team-b", "create", "networking.k8s.io", "networkpolicies")).isTrue();
            assertThat(allowed(asOperator, "team-c", "list", "", "pods")).as("no reach outside watchNamespaces").isFalse();
            assertThat(allowed(asOperator, "team-b", "update", "streammix.io", "mixtasks")).as("never the spec").isFalse();
            assertThat(allowed(asOperator, "team-b", "delete", "", "namespaces")).isFalse();
        } finally {
            cp.kubectl("delete", "mt", "scoped", "-n", "team-b", "--wait=true");
            cp.kubectl("delete", "mt", "elsewhere", "-n", "team-c", "--wait=true");
        }
    }

    @Test
    void twoReplicasShareOneLeaseAndTheStandbyTakesOverTheSameWorker() {
        ChartRelease release = ChartRelease.standard(cp);
        cp.kubectl("create", "namespace", "lease-test");
        ChartRelease.Running a = release.startOperator(ChartRelease.LOOPBACK_OVERRIDES, replica("replica-a"));
        ChartRelease.Running b = null;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> holder() != null);
            assertThat(holder()).isEqualTo("replica-a");
            b = release.startOperator(ChartRelease.LOOPBACK_OVERRIDES, replica("replica-b"));
            cp.kubectl().runWithInput(task("leased"), "apply", "-n", "lease-test", "-f", "-").assertSuccess();
            cp.kubectl("wait", "-n", "lease-test", "--for=condition=Ready", "mt/leased", "--timeout=90s").assertSuccess();
            assertThat(holder()).isEqualTo("replica-a");
            // The standby is started (quarkus-operator-sdk's readiness): a rolling update does not wait on it forever.
            assertThat(b.operator().getRuntimeInfo().isStarted()).isTrue();
            String pod = admin.pods().inNamespace("lease-test").withLabelSelector(WorkerNames.TASK_LABEL + "=leased").list()
                    .getItems().get(0).getMetadata().getName();

            a.close();
            a = null;
            await().atMost(Duration.ofSeconds(30)).until(() -> "replica-b".equals(holder()));
            long duration = status().mixDuration;
            await().atMost(Duration.ofSeconds(20)).until(() -> status().mixDuration > duration + 2);
            assertThat(status().phase).isEqualTo(Phase.Running);
            assertThat(admin.pods().inNamespace("lease-test").withLabelSelector(WorkerNames.TASK_LABEL + "=leased").list()
                    .getItems()).singleElement().satisfies(p -> assertThat(p.getMetadata().getName()).isEqualTo(pod));
            assertThat(admin.apps().deployments().inNamespace("lease-test").list().getItems()).hasSize(1);
        } finally {
            cp.kubectl("delete", "mt", "leased", "-n", "lease-test", "--wait=true");
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        }
    }

    private static io.streammix.api.v1alpha1.MixTaskStatus status() {
        return admin.resources(MixTask.class).inNamespace("lease-test").withName("leased").get().getStatus();
    }

    /** As the chart runs replicas (the prod profile's Lease), with short periods so the test takes seconds. */
    static LeaderElectionConfiguration replica(String identity) {
        return new LeaderElectionConfiguration("mixtask-operator-leader", "mixtask-system", Duration.ofSeconds(6),
                Duration.ofSeconds(4), Duration.ofMillis(500), identity, null, false);
    }

    private static String holder() {
        Lease lease = admin.leases().inNamespace("mixtask-system").withName("mixtask-operator-leader").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static boolean allowed(KubernetesClient as, String ns, String verb, String group, String resource) {
        SelfSubjectAccessReview review = as.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withNewResourceAttributes().withNamespace(ns).withVerb(verb).withGroup(group).withResource(resource)
                .endResourceAttributes().endSpec().build());
        return review.getStatus().getAllowed();
    }

    /** A small mix: one synthetic input, one 320x180 output served by the worker. */
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
