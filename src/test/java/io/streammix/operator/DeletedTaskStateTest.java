package io.streammix.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.testing.CrdSetup;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.FakeWorkerResource;
import io.streammix.operator.testing.Tasks;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 24: what the reconciler remembers in memory per task (a silent worker's silence, a failing push's retries, the
 * last SpecChanged generation announced, the task's metric series) goes when the task is deleted, although no
 * reconcile follows a deletion (no finalizer), and does not grow with edits. The operator as it runs in production
 * (Quarkus, the mock API server in CRUD mode, the fake worker), in an application of its own (a test profile) so that
 * no other test's tasks are in the maps.
 */
@QuarkusTest
@TestProfile(DeletedTaskStateTest.OwnApplication.class)
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@QuarkusTestResource(FakeWorkerResource.class)
class DeletedTaskStateTest {
    static final String NS = "test";
    static final int TASKS = 12;

    /** No configuration of its own: a profile of its own, so a fresh application and API server. */
    public static class OwnApplication implements QuarkusTestProfile {
    }

    @Inject
    KubernetesClient client;
    @Inject
    MixTaskReconciler reconciler;

    FakeWorker worker;

    @BeforeEach
    void fakeWorker() {
        worker = FakeWorkerResource.worker();
        worker.expectTokens(key -> Tasks.token(client, key));
    }

    @Test
    void silentWorkersLeaveNoSilenceBehindTheirDeletedTasks() {
        IntStream.range(0, TASKS).forEach(i -> client.resource(Tasks.mixTask(NS, "silent-" + i)).create());
        // The fake worker knows none of them: every status call answers 503.
        await().atMost(Duration.ofSeconds(30)).until(() -> entries().get("silence") == TASKS);
        assertThat(entries().get("metrics")).isEqualTo(TASKS);

        deleteAll("silent-");
        awaitNothingRemembered();
    }

    @Test
    void failingPushesAndEditsLeaveNoRetriesNorAnnouncementsBehindTheirDeletedTasks() {
        for (int i = 0; i < TASKS; i++) {
            client.resource(Tasks.mixTask(NS, "push-" + i)).create();
            worker.report(NS, "push-" + i, FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        }
        for (int i = 0; i < TASKS; i++) {
            String name = "push-" + i;
            await().atMost(Duration.ofSeconds(30)).until(() -> task(name) != null && task(name).getStatus() != null
                    && task(name).getStatus().phase == Phase.Running);
            worker.failSpecPuts(NS, name, true);
        }
        // Three edits of each: one announcement entry per task, whatever the number of generations.
        for (int edit = 1; edit <= 3; edit++) {
            int volume = 10 * edit;
            for (int i = 0; i < TASKS; i++) {
                String name = "push-" + i;
                // The operator writes the status meanwhile: an edit may conflict, and is made again on the newer task.
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                    client.resources(MixTask.class).inNamespace(NS).withName(name).edit(t -> {
                        t.getSpec().inputs.get(0).volume = volume;
                        return t;
                    });
                    return true;
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> entries().get("announced") == TASKS);
        }
        // Pushes fail (three attempts in the test profile, then the worker is replaced and they fail again).
        await().atMost(Duration.ofSeconds(30)).until(() -> entries().get("pushRetries") > 0);
        assertThat(entries().get("announced")).as("3 edits of %d tasks", TASKS).isEqualTo(TASKS);

        deleteAll("push-");
        awaitNothingRemembered();
    }

    @AfterEach
    void noTaskLeft() {
        client.resources(MixTask.class).inNamespace(NS).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.resources(MixTask.class).inNamespace(NS).list().getItems().isEmpty());
    }

    private void deleteAll(String prefix) {
        for (int i = 0; i < TASKS; i++) {
            client.resources(MixTask.class).inNamespace(NS).withName(prefix + i).delete();
        }
    }

    /** No reconcile follows a deletion, so nothing but the deletion itself can empty the maps. */
    private void awaitNothingRemembered() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(entries()).allSatisfy((map, entries) ->
                assertThat(entries).as(map).isZero()));
    }

    private Map<String, Integer> entries() {
        return reconciler.perTaskEntries();
    }

    private MixTask task(String name) {
        return client.resources(MixTask.class).inNamespace(NS).withName(name).get();
    }
}
