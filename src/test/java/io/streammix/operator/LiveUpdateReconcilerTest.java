package io.streammix.operator;

import java.util.Map;

import io.streammix.worker.contract.ControlApi;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.streammix.api.v1alpha1.ValueFrom;

import io.fabric8.kubernetes.api.model.SecretBuilder;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.WorkerOverrides;
import io.streammix.operator.status.Conditions;
import io.streammix.operator.testing.CrdSetup;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.FakeWorkerResource;
import io.streammix.operator.testing.Tasks;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live updates through the operator (Quarkus, mock API server, fake worker): what the user sees of an edit
 * (appliedGeneration, the SpecApplied condition, an Event naming each changed field and its class), a seq that
 * goes back, a worker that does not take the spec (retried, then replaced), and a worker-restart field.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@QuarkusTestResource(FakeWorkerResource.class)
class LiveUpdateReconcilerTest {
    static final String NS = "live";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;

    FakeWorker worker;

    @BeforeEach
    void fakeWorker() {
        worker = FakeWorkerResource.worker();
        worker.expectTokens(key -> Tasks.token(client, key));
    }

    private void running(String name, Consumer<MixTask> customize) {
        MixTask task = Tasks.mixTask(NS, name);
        customize.accept(task);
        client.resource(task).create();
        worker.report(NS, name, FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        awaitTask(name, t -> t.getStatus() != null && t.getStatus().phase == Phase.Running
                && Long.valueOf(1).equals(t.getStatus().appliedGeneration));
    }

    private void edit(String name, Consumer<MixTask> edit) {
        client.resources(MixTask.class).inNamespace(NS).withName(name).edit(t -> {
            edit.accept(t);
            return t;
        });
    }

    @Test
    void liveEditIsPushedAndReportedWithEachChangedFieldAndItsClass() {
        running("l-edit", t -> {
        });
        String hash = restartHash("l-edit");
        edit("l-edit", t -> {
            t.getSpec().inputs.get(1).rect = new Rect(320, 0, 640, 180);
            t.getSpec().outputs.get(0).video.fps = 15;
        });
        MixTask applied = awaitTask("l-edit", t -> Long.valueOf(2).equals(t.getStatus().appliedGeneration)
                && "True".equals(condition(t, Conditions.SPEC_APPLIED).getStatus()));
        Condition c = condition(applied, Conditions.SPEC_APPLIED);
        assertThat(c.getReason()).isEqualTo("Applied");
        assertThat(c.getMessage()).isEqualTo("generation 2 applied: live");
        assertThat(worker.submissions(NS, "l-edit")).hasSize(1);
        await().until(() -> events("l-edit", "SpecChanged").size() == 1);
        assertThat(events("l-edit", "SpecChanged").get(0).getMessage())
                .isEqualTo("generation 2: inputs[1].rect: live, outputs[0].video.fps: output restart");
        await().until(() -> events("l-edit", "SpecApplied").size() == 1);
        assertThat(restartHash("l-edit")).as("a live edit does not touch the pod").isEqualTo(hash);
    }

    @Test
    void aRotatedStreamKeyInASecretReachesTheRunningWorkerWithoutANewGeneration() throws Exception {
        client.resource(new SecretBuilder().withNewMetadata().withName("push-key").withNamespace(NS).addToLabels(io.streammix.operator.spec.SpecResolver.READABLE_LABEL, "true").endMetadata()
                .withStringData(Map.of("url", "rtmp://push.example.com/live/key-one")).build()).create();
        MixTask task = Tasks.mixTask(NS, "l-rotate");
        task.getSpec().outputs.get(0).url = null;
        task.getSpec().outputs.get(0).streamId = null;
        task.getSpec().outputs.get(0).urlFrom = new ValueFrom("push-key", "url");
        client.resource(task).create();
        // A worker started from the task's Secret runs what spec.json says, digest included.
        await().atMost(Duration.ofSeconds(30)).until(() -> client.secrets().inNamespace(NS).withName("mt-l-rotate").get() != null);
        JsonNode started = JSON.readTree(Tasks.decode(client.secrets().inNamespace(NS).withName("mt-l-rotate").get(), ControlApi.SECRET_SPEC_KEY));
        String firstDigest = started.get("digest").asText();
        worker.report(NS, "l-rotate", FakeWorker.withDigest(FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS), firstDigest));
        awaitTask("l-rotate", t -> t.getStatus() != null && t.getStatus().phase == Phase.Running);
        Thread.sleep(1500);
        assertThat(worker.specPutAttempts(NS, "l-rotate")).as("the worker runs the current values: nothing to push").isZero();

        client.secrets().inNamespace(NS).withName("push-key").edit(s -> {
            s.setData(null);
            s.setStringData(Map.of("url", "rtmp://push.example.com/live/key-two"));
            return s;
        });
        // Picked up at the next status refresh (1 s in tests): same generation, new values, new digest.
        await().atMost(Duration.ofSeconds(20)).until(() -> !worker.submissions(NS, "l-rotate").isEmpty());
        JsonNode pushed = worker.submissions(NS, "l-rotate").get(0);
        assertThat(pushed.get("generation").asLong()).isEqualTo(1);
        assertThat(pushed.at("/spec/outputs/0/url").asText()).isEqualTo("rtmp://push.example.com/live/key-two");
        assertThat(pushed.get("digest").asText()).isNotEqualTo(firstDigest);
        await().atMost(Duration.ofSeconds(10)).until(() -> events("l-rotate", "SecretValuesApplied").size() == 1);
        assertThat(events("l-rotate", "SecretValuesApplied").get(0).getMessage())
                .isEqualTo("values read from Secrets changed; the worker applied them: live").doesNotContain("key-two");
        assertThat(events("l-rotate", "SpecChanged")).as("the spec did not change").isEmpty();
        Thread.sleep(2500);
        assertThat(worker.submissions(NS, "l-rotate")).as("pushed once: the worker now reports the new digest").hasSize(1);
        assertThat(Tasks.decode(client.secrets().inNamespace(NS).withName("mt-l-rotate").get(), ControlApi.SECRET_SPEC_KEY))
                .as("a restarted worker reads the new key too").contains("key-two");
    }

    @Test
    void seqLowerThanTheLastAppliedIsRefusedNamingBothNumbers() throws Exception {
        running("l-seq", t -> t.getSpec().seq = 5L);
        Secret before = client.secrets().inNamespace(NS).withName("mt-l-seq").get();
        edit("l-seq", t -> {
            t.getSpec().seq = 3L;
            t.getSpec().inputs.get(0).volume = 10;
        });
        MixTask refused = awaitTask("l-seq", t -> "StaleSeq".equals(condition(t, Conditions.SPEC_APPLIED).getReason()));
        Condition c = condition(refused, Conditions.SPEC_APPLIED);
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getMessage()).contains("spec.seq 3").contains("last applied seq 5").contains("keeps generation 1");
        assertThat(refused.getStatus().appliedGeneration).isEqualTo(1L);
        assertThat(refused.getStatus().phase).isEqualTo(Phase.Running);
        assertThat(condition(refused, Conditions.PROGRESSING).getStatus()).isEqualTo("False");
        Thread.sleep(1500);
        assertThat(worker.specPutAttempts(NS, "l-seq")).as("nothing pushed").isZero();
        assertThat(client.secrets().inNamespace(NS).withName("mt-l-seq").get().getData()).isEqualTo(before.getData());
        assertThat(events("l-seq", "StaleSeq")).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("3", "5"));

        // A higher seq goes through.
        edit("l-seq", t -> t.getSpec().seq = 6L);
        awaitTask("l-seq", t -> Long.valueOf(3).equals(t.getStatus().appliedGeneration)
                && "Applied".equals(condition(t, Conditions.SPEC_APPLIED).getReason()));
        JsonNode pushed = worker.submissions(NS, "l-seq").get(0);
        assertThat(pushed.at("/spec/seq").asLong()).isEqualTo(6);
    }

    @Test
    void failedPushIsRetriedWithBackoffThenTheWorkerIsReplaced() {
        running("l-push", t -> {
        });
        String hash = restartHash("l-push");
        worker.failSpecPuts(NS, "l-push", true);
        edit("l-push", t -> t.getSpec().inputs.get(0).volume = 10);

        MixTask failing = awaitTask("l-push", t -> "PushFailed".equals(condition(t, Conditions.SPEC_APPLIED).getReason()));
        assertThat(condition(failing, Conditions.SPEC_APPLIED).getStatus()).isEqualTo("False");
        assertThat(condition(failing, Conditions.SPEC_APPLIED).getMessage()).contains("push of generation 2 failed").contains("HTTP 503");

        // Three attempts (test profile), then the pod template changes: the worker is replaced.
        Deployment replaced = await().atMost(Duration.ofSeconds(20))
                .until(() -> deployment("l-push"), d -> !hash.equals(restartHashOf(d)));
        // The escalation came after exactly three failed pushes (the Event says so); the count itself may already
        // hold one more: the mock server has no pods, so nothing tells the operator the old worker is terminating.
        assertThat(worker.specPutAttempts(NS, "l-push")).isGreaterThanOrEqualTo(3);
        assertThat(replaced.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("streammix.io/restart-token");
        assertThat(events("l-push", "WorkerRestarting")).anySatisfy(e -> assertThat(e.getMessage()).contains("3 attempts"));
        assertThat(events("l-push", "PushFailed")).isNotEmpty();

        // The new worker reads generation 2 from the Secret; the token stays, so no further restart.
        worker.failSpecPuts(NS, "l-push", false);
        worker.report(NS, "l-push", FakeWorker.running(2, 1, Tasks.INPUTS, Tasks.OUTPUTS));
        awaitTask("l-push", t -> "Applied".equals(condition(t, Conditions.SPEC_APPLIED).getReason()));
        String after = restartHash("l-push");
        assertThat(after).isNotEqualTo(hash);
        await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
        assertThat(restartHash("l-push")).isEqualTo(after);
    }

    @Test
    void workerRestartFieldReplacesThePod() {
        running("l-image", t -> {
        });
        String hash = restartHash("l-image");
        edit("l-image", t -> {
            t.getSpec().worker = new WorkerOverrides();
            t.getSpec().worker.image = "ghcr.io/streammix/mixtask-operator:0.2.0";
        });
        Deployment d = await().until(() -> deployment("l-image"), x -> !hash.equals(restartHashOf(x)));
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("ghcr.io/streammix/mixtask-operator:0.2.0");
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        await().until(() -> events("l-image", "SpecChanged").size() == 1);
        assertThat(events("l-image", "SpecChanged").get(0).getMessage()).isEqualTo("generation 2: worker (added): worker restart");
        assertThat(events("l-image", "WorkerRestarting")).hasSize(1);
    }

    Deployment deployment(String task) {
        return client.apps().deployments().inNamespace(NS).withName("mt-" + task).get();
    }

    String restartHash(String task) {
        return restartHashOf(deployment(task));
    }

    static String restartHashOf(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get("streammix.io/restart-hash");
    }

    MixTask awaitTask(String name, Predicate<MixTask> condition) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.resources(MixTask.class).inNamespace(NS).withName(name).get(), t -> t != null && condition.test(t));
    }

    static Condition condition(MixTask task, String type) {
        return Conditions.find(task.getStatus() == null ? null : task.getStatus().conditions, type).orElse(new Condition());
    }

    List<Event> events(String task, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> task.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }
}
