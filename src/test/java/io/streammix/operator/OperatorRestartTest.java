package io.streammix.operator;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.worker.contract.ControlApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator restart (new process: empty caches, new reconciler) finds a running task and changes
 * nothing but its status: same single worker Deployment, untouched pod template, same token, and no
 * Event repeated.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorRestartTest {
    static final String NS = "restart";
    static KubernetesClient client;

    FakeWorker worker;
    Operator operator;

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.stop();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void restartedOperatorNeitherDuplicatesNorRestartsTheWorker() throws Exception {
        worker = new FakeWorker();
        worker.expectTokens(key -> Tasks.token(client, key));
        OperatorConfig config = OperatorHarness.config(Map.of(
                "mixtask.worker.control-url-template", worker.controlUrlTemplate(),
                "mixtask.status-refresh-interval", "1s",
                "mixtask.status-figures-interval", "1s",
                "mixtask.media.input-url-template", "rtmp://media/live/{streamId}"));
        OperatorHarness.createCrd(client);
        operator = OperatorHarness.start(client, config);

        client.resource(Tasks.mixTask(NS, "t-restart")).create();
        worker.report(NS, "t-restart", FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        MixTask running = awaitTask(t -> t.getStatus() != null && t.getStatus().phase == Phase.Running);
        Deployment before = client.apps().deployments().inNamespace(NS).withName("mt-t-restart").get();
        String token = Tasks.token(client, NS + "/t-restart");

        operator.stop();
        operator = OperatorHarness.start(client, config);

        // The new operator has reconciled (mixDuration moved on) ...
        long duration = running.getStatus().mixDuration;
        MixTask after = awaitTask(t -> t.getStatus().mixDuration >= duration + 3);
        assertThat(after.getStatus().phase).isEqualTo(Phase.Running);
        assertThat(after.getStatus().startTime).isEqualTo(running.getStatus().startTime);
        // ... and left the worker alone.
        List<Deployment> deployments = client.apps().deployments().inNamespace(NS).list().getItems();
        assertThat(deployments).singleElement().satisfies(d -> {
            assertThat(d.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
            assertThat(d.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
        });
        assertThat(Tasks.token(client, NS + "/t-restart")).isEqualTo(token);
        assertThat(client.secrets().inNamespace(NS).list().getItems()).singleElement()
                .satisfies(s -> assertThat(s.getData()).containsKeys(ControlApi.SECRET_TOKEN_KEY, ControlApi.SECRET_SPEC_KEY));
        assertThat(events("WorkerCreated")).hasSize(1);
        assertThat(events("Running")).hasSize(1);
        assertThat(worker.refusedCalls()).isZero();
    }

    MixTask awaitTask(java.util.function.Predicate<MixTask> condition) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.resources(MixTask.class).inNamespace(NS).withName("t-restart").get(),
                        t -> t != null && condition.test(t));
    }

    List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }
}
