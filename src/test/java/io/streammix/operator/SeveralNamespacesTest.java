package io.streammix.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.testing.CrdSetup;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.FakeWorkerResource;
import io.streammix.operator.testing.Tasks;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator as it runs in production (Quarkus: the watched namespaces come from
 * {@code quarkus.operator-sdk.controllers.mixtask.namespaces}, as the chart's {@code watchNamespaces} sets them) with
 * two namespaces, on the mock API server, MixTasks created before it starts: each is reconciled, and the task memory
 * follows them by looking into the cache (no store of ours is shared between the namespaces' informers). Before, JOSDK
 * gave both informers one store of ours and each informer's list removed the other namespace's tasks from it; on the
 * mock API server that did not show as a missing status (the old code passes the first waits here, and fails only at
 * the task memory's count, i.e. because the store was still shared); on the real API server it did: {@link
 * SeveralNamespacesOnApiServerTest} fails there.
 */
@QuarkusTest
@TestProfile(SeveralNamespacesTest.TwoNamespaces.class)
@WithKubernetesTestServer(crud = true, setup = SeveralNamespacesTest.TasksBeforeStart.class)
@QuarkusTestResource(FakeWorkerResource.class)
class SeveralNamespacesTest {

    public static class TwoNamespaces implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.controllers.mixtask.namespaces", "multi-a,multi-b");
        }
    }

    /** The CRD, then a task in each watched namespace and one in a third, before the operator starts. */
    public static class TasksBeforeStart implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            new CrdSetup().accept(server);
            server.getClient().resource(Tasks.mixTask("multi-a", "early-a")).create();
            server.getClient().resource(Tasks.mixTask("multi-b", "early-b")).create();
            server.getClient().resource(Tasks.mixTask("multi-c", "unwatched")).create();
        }
    }

    @Inject
    KubernetesClient client;
    @Inject
    MixTaskReconciler reconciler;

    @Test
    void tasksOfBothNamespacesThatExistedAtStartAndLaterOnesAreReconciled() {
        FakeWorker worker = FakeWorkerResource.worker();
        worker.expectTokens(key -> Tasks.token(client, key));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(status("multi-a", "early-a")).as("multi-a's task that existed at start").isNotNull();
            assertThat(status("multi-b", "early-b")).as("multi-b's task that existed at start").isNotNull();
        });
        client.resource(Tasks.mixTask("multi-b", "late-b")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> status("multi-b", "late-b") != null);
        for (String[] t : new String[][]{{"multi-a", "early-a"}, {"multi-b", "early-b"}, {"multi-b", "late-b"}}) {
            assertThat(client.apps().deployments().inNamespace(t[0]).withName("mt-" + t[1]).get()).as("worker of " + t[1]).isNotNull();
        }
        assertThat(status("multi-c", "unwatched")).as("a namespace not watched is left alone").isNull();
        assertThat(client.apps().deployments().inNamespace("multi-c").list().getItems()).isEmpty();
        // Followed through the cache, not through a store of ours (which would be shared): the three watched tasks.
        assertThat(reconciler.perTaskEntries().get("reconciled")).isEqualTo(3);
    }

    private Object status(String namespace, String name) {
        MixTask task = client.resources(MixTask.class).inNamespace(namespace).withName(name).get();
        return task == null ? null : task.getStatus();
    }
}
