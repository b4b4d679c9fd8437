package io.streammix.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.api.v1alpha1.PlayInfo;
import io.streammix.api.v1alpha1.ValueFrom;
import io.streammix.operator.status.Conditions;
import io.streammix.operator.testing.CrdSetup;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.FakeWorkerResource;
import io.streammix.operator.testing.Tasks;
import io.streammix.worker.contract.ControlApi;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator as it runs in production (Quarkus, quarkus-operator-sdk, application.properties with
 * SSA off), against the fabric8 mock API server in CRUD mode, with a fake worker control API.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@QuarkusTestResource(FakeWorkerResource.class)
class MixTaskReconcilerTest {
    static final String NS = "test";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;

    FakeWorker worker;

    @BeforeEach
    void fakeWorker() {
        worker = FakeWorkerResource.worker();
        worker.expectTokens(key -> Tasks.token(client, key));
    }

    @Test
    void createBuildsWorkerServiceAndSecretOwnedByTheTask() throws Exception {
        MixTask task = client.resource(Tasks.mixTask(NS, "t-create")).create();

        Deployment deployment = await().until(() -> client.apps().deployments().inNamespace(NS).withName("mt-t-create").get(), d -> d != null);
        Service service = await().until(() -> client.services().inNamespace(NS).withName("mt-t-create").get(), s -> s != null);
        Secret secret = await().until(() -> client.secrets().inNamespace(NS).withName("mt-t-create").get(), s -> s != null);
        for (HasMetadata owned : List.of(deployment, service, secret)) {
            assertOwnedBy(owned, task);
        }

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("streammix.io/restart-hash");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getServiceAccountName()).as("none configured: the namespace's default, with no token").isNull();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(60L);
        assertThat(pod.getTolerations()).as("default tolerations from the configuration, and a lost node's for 5 s only")
                .extracting(t -> t.getKey() + "=" + t.getValue() + ":" + t.getEffect() + "/" + t.getTolerationSeconds())
                .containsExactly("dedicated=media:NoSchedule/null", "node.kubernetes.io/not-ready=null:NoExecute/5",
                        "node.kubernetes.io/unreachable=null:NoExecute/5");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("ghcr.io/streammix/mixtask-operator:0.1.0");
        assertThat(c.getCommand()).endsWith("worker");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo(ControlApi.LIVE);
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo(ControlApi.READY);
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("control");
        assertThat(c.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("media:" + ControlApi.MEDIA_PORT, "control:" + ControlApi.CONTROL_PORT, "metrics:9102");
        assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
        Map<String, String> env = c.getEnv().stream().collect(java.util.stream.Collectors.toMap(e -> e.getName(), e -> e.getValue()));
        assertThat(env).containsEntry(ControlApi.ENV_SPEC_FILE, "/etc/mixtask/spec.json")
                .containsEntry(ControlApi.ENV_TOKEN_FILE, "/etc/mixtask/token")
                .containsEntry(ControlApi.ENV_SCRATCH_DIR, "/scratch");
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("scratch");
            assertThat(v.getEmptyDir()).isNotNull();
        });
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("mt-t-create"));
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/scratch");
            assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        });

        assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(ControlApi.MEDIA_PORT, ControlApi.CONTROL_PORT);
        assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

        assertThat(Tasks.decode(secret, ControlApi.SECRET_TOKEN_KEY)).hasSizeGreaterThanOrEqualTo(40);
        JsonNode spec = JSON.readTree(Tasks.decode(secret, ControlApi.SECRET_SPEC_KEY));
        assertThat(spec.get("generation").asLong()).isEqualTo(1);
        assertThat(spec.at("/spec/inputs/1/url").asText()).isEqualTo("rtmp://media.test.svc:1935/live/cam2");
        assertThat(spec.at("/spec/inputs/1/name").asText()).isEqualTo("cam2");
        assertThat(spec.at("/spec/inputs/1/streamId").isMissingNode()).isTrue();
        assertThat(spec.at("/spec/outputs/0/streamId").asText()).isEqualTo("out1");

        // No worker answers yet: Starting, not Ready, and one WorkerCreated event.
        MixTask seen = awaitTask("t-create", t -> t.getStatus() != null && t.getStatus().phase == Phase.Starting);
        assertThat(condition(seen, Conditions.READY).getStatus()).isEqualTo("False");
        assertThat(seen.getStatus().observedGeneration).isEqualTo(1L);
        assertThat(events("t-create", "WorkerCreated")).hasSize(1);
    }

    @Test
    void runningWorkerGivesRunningPhasePlayUrlsAndAGrowingMixDuration() {
        client.resource(Tasks.mixTask(NS, "t-run")).create();
        worker.report(NS, "t-run", FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));

        MixTask running = awaitTask("t-run", t -> t.getStatus() != null && t.getStatus().phase == Phase.Running);
        Condition ready = condition(running, Conditions.READY);
        assertThat(ready.getStatus()).isEqualTo("True");
        PlayInfo play = running.getStatus().play.get(0);
        assertThat(play.streamId).isEqualTo("out1");
        assertThat(play.flvUrl).isEqualTo("http://mt-t-run.test.svc:8080/live/out1.flv");
        assertThat(play.hlsUrl).isEqualTo("http://mt-t-run.test.svc:8080/live/out1/index.m3u8");
        assertThat(play.rtmpUrl).isEqualTo("rtmp://play.example.com/room-7/out1");
        assertThat(running.getStatus().startTime).isNotNull();
        assertThat(running.getStatus().inputs).extracting(i -> i.state).containsOnly("Live");
        assertThat(running.getStatus().appliedGeneration).isEqualTo(1L);
        long first = running.getStatus().mixDuration;
        assertThat(first).isGreaterThanOrEqualTo(4);
        String restartHash = deployment("t-run").getSpec().getTemplate().getMetadata().getAnnotations().get("streammix.io/restart-hash");
        String deploymentVersion = deployment("t-run").getMetadata().getResourceVersion();

        MixTask later = awaitTask("t-run", t -> t.getStatus().mixDuration >= first + 2);
        assertThat(later.getStatus().startTime).isEqualTo(running.getStatus().startTime);
        // Status refreshes neither move Ready's transition time nor touch the worker.
        assertThat(condition(later, Conditions.READY).getLastTransitionTime()).isEqualTo(ready.getLastTransitionTime());
        assertThat(deployment("t-run").getMetadata().getResourceVersion()).isEqualTo(deploymentVersion);
        assertThat(events("t-run", "Running")).hasSize(1);
        assertThat(worker.refusedCalls()).isZero();

        // A live edit goes to the running worker through PUT /spec; the pod template does not change.
        client.resources(MixTask.class).inNamespace(NS).withName("t-run").edit(t -> {
            t.getSpec().inputs.get(0).volume = 50;
            return t;
        });
        await().until(() -> worker.submissions(NS, "t-run").size(), n -> n >= 1);
        JsonNode submitted = worker.submissions(NS, "t-run").get(0);
        assertThat(submitted.get("generation").asLong()).isEqualTo(2);
        assertThat(submitted.at("/spec/inputs/0/volume").asInt()).isEqualTo(50);
        MixTask applied = awaitTask("t-run", t -> Long.valueOf(2).equals(t.getStatus().appliedGeneration));
        assertThat(condition(applied, Conditions.SPEC_APPLIED).getStatus()).isEqualTo("True");
        assertThat(deployment("t-run").getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("streammix.io/restart-hash", restartHash);
    }

    /** The operator's own metrics on /q/metrics (the Quarkus Micrometer registry), read by a Prometheus text parser. */
    @Test
    void operatorMetricsCountTasksByPhaseAndTimeReconciles() throws Exception {
        client.resource(Tasks.mixTask(NS, "t-metrics")).create();
        worker.report(NS, "t-metrics", FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        awaitTask("t-metrics", t -> t.getStatus() != null && t.getStatus().phase == Phase.Running);

        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(metricsUrl.toURI()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker walker = new org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker();
        new org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor(
                new java.io.ByteArrayInputStream(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)), walker).walk();
        Map<String, org.hawkular.agent.prometheus.types.MetricFamily> families = walker.getAllMetricFamilies().stream()
                .collect(java.util.stream.Collectors.toMap(f -> f.getName(), f -> f));
        assertThat(families.get("mixtask_tasks").getMetrics()).anySatisfy(m -> {
            assertThat(m.getLabels()).containsEntry("phase", "Running");
            assertThat(((org.hawkular.agent.prometheus.types.Gauge) m).getValue()).isGreaterThanOrEqualTo(1);
        });
        assertThat(families.get("mixtask_task_phase").getMetrics()).anySatisfy(m -> {
            assertThat(m.getLabels()).containsEntry("namespace", NS).containsEntry("task", "t-metrics").containsEntry("phase", "Running");
            assertThat(((org.hawkular.agent.prometheus.types.Gauge) m).getValue()).isEqualTo(1);
        });
        assertThat(families.get("mixtask_task_phase").getMetrics())
                .filteredOn(m -> "t-metrics".equals(m.getLabels().get("task"))).as("a row per phase").hasSize(Phase.values().length)
                .filteredOn(m -> ((org.hawkular.agent.prometheus.types.Gauge) m).getValue() == 1).as("one phase per task").hasSize(1);
        assertThat(families.get("mixtask_reconcile_seconds").getType())
                .isEqualTo(org.hawkular.agent.prometheus.types.MetricType.HISTOGRAM);
        assertThat(families.get("mixtask_reconcile_seconds").getMetrics()).anySatisfy(m -> {
            assertThat(m.getLabels()).containsEntry("result", "success");
            assertThat(((org.hawkular.agent.prometheus.types.Histogram) m).getSampleCount()).isGreaterThan(0);
        });
        assertThat(families).containsKey("mixtask_worker_container_restarts");
    }

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true) // the management root is /q
    java.net.URL metricsUrl;

    @Test
    void lostInputMakesTheTaskDegradedAndIsReportedOnce() throws Exception {
        client.resource(Tasks.mixTask(NS, "t-lost")).create();
        worker.report(NS, "t-lost", FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        awaitTask("t-lost", t -> t.getStatus() != null && t.getStatus().phase == Phase.Running);

        worker.report(NS, "t-lost", FakeWorker.withInputState(1, 10, Tasks.INPUTS, Tasks.OUTPUTS, "cam2"));
        MixTask degraded = awaitTask("t-lost", t -> t.getStatus().phase == Phase.Degraded);
        Condition condition = condition(degraded, Conditions.DEGRADED);
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getReason()).isEqualTo("InputLost");
        assertThat(condition.getMessage()).contains("'cam2'");
        assertThat(degraded.getStatus().inputs).filteredOn(i -> i.name.equals("cam2")).singleElement()
                .satisfies(i -> {
                    assertThat(i.state).isEqualTo("Lost");
                    assertThat(i.reason).doesNotContain("secret-host/key");
                });

        Thread.sleep(3000); // several refreshes later, still one event
        List<Event> lost = events("t-lost", "InputLost");
        assertThat(lost).hasSize(1);
        assertThat(lost.get(0).getMessage()).contains("cam2").doesNotContain("secret-host/key");
    }

    @Test
    void aSilentWorkerKeepsItsPhaseForTheGraceThenTheTaskIsDegradedUntilItAnswersAgain() throws Exception {
        client.resource(Tasks.mixTask(NS, "t-silent")).create();
        worker.report(NS, "t-silent", FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        awaitTask("t-silent", t -> t.getStatus() != null && t.getStatus().phase == Phase.Running);

        worker.forget(NS, "t-silent"); // status calls now answer 503
        Thread.sleep(1500); // a refresh or two, inside the 3 s grace of the test profile
        MixTask inGrace = client.resources(MixTask.class).inNamespace(NS).withName("t-silent").get();
        assertThat(inGrace.getStatus().phase).as("nothing restarted: not Starting").isEqualTo(Phase.Running);

        MixTask silent = awaitTask("t-silent", t -> t.getStatus().phase == Phase.Degraded);
        Condition ready = condition(silent, Conditions.READY);
        assertThat(ready.getReason()).isEqualTo("WorkerUnreachable");
        assertThat(ready.getMessage()).startsWith("the worker has not answered for ").endsWith("worker control API answered HTTP 503");
        await().atMost(Duration.ofSeconds(10)).until(() -> events("t-silent", "WorkerUnreachable").size() == 1);

        worker.report(NS, "t-silent", FakeWorker.running(1, 15, Tasks.INPUTS, Tasks.OUTPUTS));
        awaitTask("t-silent", t -> t.getStatus().phase == Phase.Running);
        await().atMost(Duration.ofSeconds(10)).until(() -> events("t-silent", "Running").stream()
                .anyMatch(e -> e.getMessage().equals("The mix recovered")));
        Thread.sleep(1500);
        assertThat(events("t-silent", "WorkerUnreachable")).hasSize(1);
        assertThat(events("t-silent", "Running")).hasSize(2);
    }

    @Test
    void invalidSpecIsReportedAndTheRunningWorkerKeepsItsLastGoodSpec() throws Exception {
        client.resource(Tasks.mixTask(NS, "t-invalid")).create();
        worker.report(NS, "t-invalid", FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        awaitTask("t-invalid", t -> t.getStatus() != null && t.getStatus().phase == Phase.Running);
        Deployment before = deployment("t-invalid");
        Secret secretBefore = client.secrets().inNamespace(NS).withName("mt-t-invalid").get();

        // Above the operator's fps cap (30 in tests), though admission allows it.
        client.resources(MixTask.class).inNamespace(NS).withName("t-invalid").edit(t -> {
            t.getSpec().outputs.get(0).video.fps = 50;
            return t;
        });
        MixTask invalid = awaitTask("t-invalid", t -> "InvalidSpec".equals(condition(t, Conditions.READY).getReason()));
        Condition ready = condition(invalid, Conditions.READY);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).contains("spec.outputs[0].video.fps");
        assertThat(invalid.getStatus().phase).isEqualTo(Phase.Running);

        // A missing Secret behind urlFrom: named too, and the message never carries a URL.
        client.resources(MixTask.class).inNamespace(NS).withName("t-invalid").edit(t -> {
            t.getSpec().outputs.get(0).video.fps = 25;
            t.getSpec().inputs.get(0).url = null;
            t.getSpec().inputs.get(0).urlFrom = new ValueFrom("no-such-secret", "url");
            return t;
        });
        MixTask missing = awaitTask("t-invalid", t -> condition(t, Conditions.READY).getMessage().contains("spec.inputs[0].urlFrom"));
        assertThat(condition(missing, Conditions.READY).getMessage()).contains("no-such-secret");

        Thread.sleep(2500);
        assertThat(deployment("t-invalid").getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(client.secrets().inNamespace(NS).withName("mt-t-invalid").get().getData()).isEqualTo(secretBefore.getData());
        assertThat(worker.submissions(NS, "t-invalid")).isEmpty();
        assertThat(events("t-invalid", "InvalidSpec")).hasSize(2);

        // Once the Secret exists, the spec is good again and reaches the worker, credentials resolved.
        client.resource(new SecretBuilder().withNewMetadata().withName("no-such-secret").withNamespace(NS).addToLabels(io.streammix.operator.spec.SpecResolver.READABLE_LABEL, "true").endMetadata()
                .withStringData(Map.of("url", "rtmps://live.example.com/app/stream-key-123")).build()).create();
        awaitTask("t-invalid", t -> "Running".equals(condition(t, Conditions.READY).getReason()));
        JsonNode spec = JSON.readTree(Tasks.decode(client.secrets().inNamespace(NS).withName("mt-t-invalid").get(), ControlApi.SECRET_SPEC_KEY));
        assertThat(spec.at("/spec/inputs/0/url").asText()).isEqualTo("rtmps://live.example.com/app/stream-key-123");
        MixTask good = client.resources(MixTask.class).inNamespace(NS).withName("t-invalid").get();
        assertThat(JSON.writeValueAsString(good.getStatus())).doesNotContain("stream-key-123");
    }

    @Test
    void invalidNewTaskGetsNoWorker() {
        MixTask task = Tasks.mixTask(NS, "t-rtsp-out");
        task.getSpec().outputs.get(0).streamId = null;
        task.getSpec().outputs.get(0).url = "rtsp://camera.example.com/out";
        client.resource(task).create();

        MixTask failed = awaitTask("t-rtsp-out", t -> t.getStatus() != null && t.getStatus().phase == Phase.Failed);
        assertThat(condition(failed, Conditions.READY).getReason()).isEqualTo("InvalidSpec");
        assertThat(condition(failed, Conditions.READY).getMessage()).startsWith("spec.outputs[0].url")
                .contains("the scheme must be rtmp, rtmps, srt or file");
        assertThat(client.apps().deployments().inNamespace(NS).withName("mt-t-rtsp-out").get()).isNull();
    }

    @Test
    void deletedTaskLeavesItsChildrenToTheGarbageCollectorAndDoesNotRecreateThem() throws Exception {
        MixTask task = client.resource(Tasks.mixTask(NS, "t-delete")).create();
        Deployment deployment = await().until(() -> deployment("t-delete"), d -> d != null);
        assertOwnedBy(deployment, task);
        assertOwnedBy(await().until(() -> client.services().inNamespace(NS).withName("mt-t-delete").get(), s -> s != null), task);
        assertOwnedBy(await().until(() -> client.secrets().inNamespace(NS).withName("mt-t-delete").get(), s -> s != null), task);

        client.resource(task).delete();
        await().until(() -> client.resources(MixTask.class).inNamespace(NS).withName("t-delete").get() == null);
        // The mock server has no garbage collector: do its work, then check nothing comes back.
        client.apps().deployments().inNamespace(NS).withName("mt-t-delete").delete();
        client.services().inNamespace(NS).withName("mt-t-delete").delete();
        client.secrets().inNamespace(NS).withName("mt-t-delete").delete();
        Thread.sleep(2500);
        assertThat(deployment("t-delete")).isNull();
        assertThat(client.services().inNamespace(NS).withName("mt-t-delete").get()).isNull();
        assertThat(client.secrets().inNamespace(NS).withName("mt-t-delete").get()).isNull();
    }

    static void assertOwnedBy(HasMetadata owned, MixTask task) {
        assertThat(owned.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference ref) -> {
            assertThat(ref.getKind()).isEqualTo("MixTask");
            assertThat(ref.getApiVersion()).isEqualTo("streammix.io/v1alpha1");
            assertThat(ref.getName()).isEqualTo(task.getMetadata().getName());
            assertThat(ref.getUid()).isEqualTo(task.getMetadata().getUid());
            assertThat(ref.getController()).isTrue();
        });
    }

    Deployment deployment(String task) {
        return client.apps().deployments().inNamespace(NS).withName("mt-" + task).get();
    }

    MixTask awaitTask(String name, Predicate<MixTask> condition) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
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
