package io.streammix.e2e;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.testing.kube.ChartRelease;
import io.streammix.testing.kube.ClusterNetwork;
import io.streammix.testing.kube.ControlPlane;
import io.streammix.testing.kube.Kubectl;
import io.streammix.testing.kube.PodProcess;
import io.streammix.worker.playback.LiveFlvFrames;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The quickstart on a real control plane, as a user runs it: the chart installed in {@code mixtask-system}, the
 * operator with exactly the chart's configuration and permissions, {@code kubectl apply -f
 * examples/synthetic-demo.yaml} in {@code default}, {@code kubectl wait} for Ready, {@code kubectl get mt}, the play
 * URL decoded frame by frame, live edits with {@code kubectl patch} seen in the pictures, then {@code kubectl delete}
 * and the garbage collector. Along the way: the operator never writes a MixTask's spec or metadata, a worker killed
 * with SIGKILL comes back, and a restarted operator adopts the running worker.
 */
@org.junit.jupiter.api.Tag(io.streammix.testing.kube.ControlPlane.TAG)
class RealApiServerEndToEndTest {
    static final String NS = "default";
    static final String TASK = "synthetic-demo";
    /**
     * What the viewer sees at two points of the 1280x360 canvas: x 660 (a bar of background beside the Fit input
     * "bob", until bob's rect moves over it) and x 1240 (a bar that stays background); state = 10 * first + second.
     */
    static final int OTHER = 0;
    static final int GREEN = 1;
    static final int MAGENTA = 2;
    static final int RED = 3;

    static ControlPlane cp;
    static ChartRelease release;
    static ChartRelease.Running operator;
    static KubernetesClient user;

    @BeforeAll
    static void cluster() {
        cp = ControlPlane.forMixTasks();
        release = ChartRelease.standard(cp);
        operator = release.startOperator(ChartRelease.LOOPBACK_OVERRIDES, null);
        user = cp.adminClient();
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (user != null) {
            user.close();
        }
    }

    @Test
    void quickstartAppliesBecomesReadyPlaysTakesLiveEditsSurvivesCrashesAndIsCollected() throws Exception {
        Kubectl kubectl = cp.kubectl();
        long applied = System.nanoTime();
        kubectl.run("apply", "-n", NS, "-f", "examples/synthetic-demo.yaml").assertSuccess();
        kubectl.run("wait", "-n", NS, "--for=condition=Ready", "mt/" + TASK, "--timeout=180s").assertSuccess();
        double applyToReady = (System.nanoTime() - applied) / 1e9;
        System.out.printf("RealApiServerEndToEndTest: kubectl apply -> Ready in %.1f s%n", applyToReady);

        // kubectl get mt: the printer columns from the CRD, filled in by the operator.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String table = kubectl.run("get", "mt", "-n", NS).assertSuccess().out();
            assertThat(table.lines().findFirst().orElseThrow()).matches("NAME\\s+PHASE\\s+READY\\s+DURATION\\s+PLAY\\s+AGE");
            assertThat(table).containsPattern(TASK + "\\s+Running\\s+True\\s+\\d+[smhd]\\S*\\s+http://mt-synthetic-demo\\.default\\.svc:8080/live/demo\\.flv\\s+\\d+s");
        });

        Pod pod = workerPod();
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSpec().getServiceAccountName()).as("the namespace's default account: it exists everywhere").isEqualTo("default");
        NetworkPolicy policy = user.network().v1().networkPolicies().inNamespace(NS).withName("mt-" + TASK).get();
        assertThat(policy).as("the worker's NetworkPolicy beside it").isNotNull();
        assertThat(policy.getSpec().getEgress().get(0).getTo().get(0).getIpBlock().getExcept()).contains("169.254.0.0/16");
        assertThat(policy.getSpec().getIngress()).hasSize(3);
        assertThat(policy.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal()).isEqualTo(8081);
        assertThat(policy.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels())
                .containsEntry("kubernetes.io/metadata.name", "mixtask-system");
        assertThat(policy.getSpec().getIngress().get(1).getFrom()).as("players reach the media port from anywhere").isNullOrEmpty();
        assertThat(policy.getSpec().getIngress().get(2).getPorts().get(0).getPort().getIntVal()).isEqualTo(9102);
        assertThat(policy.getSpec().getIngress().get(2).getFrom().get(0).getNamespaceSelector().getMatchLabels())
                .as("the chart's metrics.worker.scrapeFrom").containsEntry("team", "monitoring");

        String playUrl = task().getStatus().play.get(0).flvUrl;
        try (LiveFlvFrames viewer = new LiveFlvFrames(ClusterNetwork.resolve(user, playUrl).toString(),
                RealApiServerEndToEndTest::backgroundAt)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> viewer.seen().size() > 15);
            assertThat(viewer.seen().get(viewer.seen().size() - 1).state()).as("the demo's own background").isEqualTo(OTHER * 11);

            // kubectl patch of a live field: the background colour...
            long t0 = System.nanoTime();
            kubectl.run("patch", "mt", TASK, "-n", NS, "--type=merge", "-p", "{\"spec\":{\"background\":{\"color\":\"#00FF00\"}}}")
                    .assertSuccess();
            firstFrameAfter(viewer, t0, GREEN * 11);
            // ... and a rect: bob (4:3, red) filled to 640..1120, over the bar at x 660; the one at 1240 stays background.
            long t1 = System.nanoTime();
            kubectl.run("patch", "mt", TASK, "-n", NS, "--type=json", "-p",
                    "[{\"op\":\"replace\",\"path\":\"/spec/inputs/1/rect/right\",\"value\":1120}]").assertSuccess();
            firstFrameAfter(viewer, t1, RED * 10 + GREEN);
            Thread.sleep(1500);
            List<LiveFlvFrames.Seen> after = viewer.seen().stream().filter(f -> f.decodedAtNanos() > t1).toList();
            int first = after.stream().map(LiveFlvFrames.Seen::state).toList().indexOf(RED * 10 + GREEN);
            assertThat(after.subList(first, after.size())).as("every frame from the first showing the new rect shows it")
                    .hasSizeGreaterThan(15).allSatisfy(f -> assertThat(f.state()).isEqualTo(RED * 10 + GREEN));
            assertThat(after.subList(0, first)).as("frames before it show the old layout, never anything else")
                    .allSatisfy(f -> assertThat(f.state()).isEqualTo(GREEN * 11));

            // patch -> changed frame, through the real API server, the operator, the worker and the viewer.
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                int want = RED * 10 + (i % 2 == 0 ? MAGENTA : GREEN);
                long start = System.nanoTime();
                user.resources(MixTask.class).inNamespace(NS).withName(TASK).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"background\":{\"color\":\"" + (want % 10 == MAGENTA ? "#FF00FF" : "#00FF00") + "\"}}}");
                double took = (firstFrameAfter(viewer, start, want) - start) / 1e6;
                if (i > 0) {
                    ms.add(took);
                }
                Thread.sleep(200);
            }
            Collections.sort(ms);
            System.out.printf("RealApiServerEndToEndTest: MixTask patch -> first decoded frame showing it, %d patches: p50 %.0f ms, "
                    + "p95 %.0f ms, max %.0f ms%n", ms.size(), ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.95) - 1),
                    ms.get(ms.size() - 1));
            assertThat(viewer.failure()).isNull();
        }

        operatorNeverWroteSpecOrMetadata();
        workerKilledWithSigkillComesBack();
        restartedOperatorAdoptsTheRunningWorker();

        // kubectl delete: the worker process ends; the garbage collector takes what the task owned.
        String podName = workerPod().getMetadata().getName();
        kubectl.run("delete", "mt", TASK, "-n", NS, "--wait=true").assertSuccess();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(cp.kubelet().process(NS, podName)).as("worker process").isEmpty();
            String selector = WorkerNames.TASK_LABEL + "=" + TASK;
            assertThat(user.apps().deployments().inNamespace(NS).withLabelSelector(selector).list().getItems()).isEmpty();
            assertThat(user.services().inNamespace(NS).withLabelSelector(selector).list().getItems()).isEmpty();
            assertThat(user.secrets().inNamespace(NS).withLabelSelector(selector).list().getItems()).isEmpty();
            assertThat(user.network().v1().networkPolicies().inNamespace(NS).withLabelSelector(selector).list().getItems()).isEmpty();
            assertThat(user.pods().inNamespace(NS).withLabelSelector(selector).list().getItems()).isEmpty();
        });
    }

    /**
     * Every example whose inputs need no media server (synthetic sources, files) becomes Ready on the real cluster,
     * as {@code kubectl apply -f examples/X.yaml} leaves it; each is deleted before the next (two cores).
     */
    @Test
    void everyExampleWithSyntheticOrFileInputsBecomesReady() throws Exception {
        String ns = "examples";
        cp.kubectl().run("create", "namespace", ns);
        List<String> run = new ArrayList<>();
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("examples"))) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String yaml = java.nio.file.Files.readString(file);
                String doc = java.util.Arrays.stream(yaml.split("\n---")).filter(d -> d.contains("kind: MixTask")).findFirst().orElseThrow();
                MixTask task = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(doc, MixTask.class);
                if (task.getSpec().inputs.stream().anyMatch(i -> i.url == null)) {
                    continue; // inputs from a media server or a Secret: StreamInputExamplesMediaTest runs those
                }
                String name = task.getMetadata().getName();
                long t0 = System.nanoTime();
                cp.kubectl().run("apply", "-n", ns, "-f", file.toString()).assertSuccess();
                Kubectl.Result ready = cp.kubectl().run("wait", "-n", ns, "--for=condition=Ready", "mt/" + name, "--timeout=90s");
                assertThat(ready.exitCode()).as(file + " Ready: " + ready.err() + " status: "
                        + cp.kubectl().run("get", "mt", name, "-n", ns, "-o", "jsonpath={.status}").out()).isZero();
                System.out.printf("RealApiServerEndToEndTest: %s Ready in %.1f s%n", file, (System.nanoTime() - t0) / 1e9);
                run.add(file.getFileName().toString());
                cp.kubectl().run("delete", "-n", ns, "-f", file.toString(), "--wait=true").assertSuccess();
                await().atMost(Duration.ofSeconds(60)).until(() -> user.pods().inNamespace(ns)
                        .withLabelSelector(WorkerNames.TASK_LABEL + "=" + name).list().getItems().isEmpty());
            }
        }
        assertThat(run).as("examples run").contains("synthetic-demo.yaml", "recording-pvc.yaml", "grid-3x3.yaml");
    }

    /** Every write of the operator's identity to the MixTask went to the status subresource. */
    private void operatorNeverWroteSpecOrMetadata() {
        List<ManagedFieldsEntry> entries = task().getMetadata().getManagedFields();
        assertThat(entries).anySatisfy(e -> assertThat(e.getManager()).isEqualTo("mixtask-operator"));
        assertThat(entries).filteredOn(e -> e.getManager().equals("mixtask-operator"))
                .allSatisfy(e -> {
                    assertThat(e.getSubresource()).as("the operator writes status only").isEqualTo("status");
                    assertThat(e.getFieldsV1().getAdditionalProperties()).containsOnlyKeys("f:status");
                });
        assertThat(task().getMetadata().getFinalizers()).isNullOrEmpty();
    }

    private void workerKilledWithSigkillComesBack() {
        Pod pod = workerPod();
        PodProcess process = cp.kubelet().process(NS, pod.getMetadata().getName()).orElseThrow();
        long pid = process.handle().orElseThrow().pid();
        long killed = System.nanoTime();
        process.kill();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Pod now = workerPod();
            assertThat(now.getMetadata().getName()).as("same pod, container restarted").isEqualTo(pod.getMetadata().getName());
            assertThat(now.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(1);
            assertThat(process.handle()).hasValueSatisfying(h -> assertThat(h.pid()).isNotEqualTo(pid));
            MixTask t = task();
            assertThat(t.getStatus().worker.restarts).as("status saw the restart").isEqualTo(1);
            assertThat(t.getStatus().phase).isEqualTo(Phase.Running);
            assertThat(t.getStatus().conditions).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
            });
        });
        System.out.printf("RealApiServerEndToEndTest: worker SIGKILLed -> task Ready again in %.1f s%n", (System.nanoTime() - killed) / 1e9);
    }

    private void restartedOperatorAdoptsTheRunningWorker() {
        String podName = workerPod().getMetadata().getName();
        long duration = task().getStatus().mixDuration;
        operator.close();
        operator = release.startOperator(ChartRelease.LOOPBACK_OVERRIDES, null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(task().getStatus().mixDuration).as("mixDuration keeps growing").isGreaterThan(duration + 2));
        assertThat(workerPod().getMetadata().getName()).as("the same worker pod").isEqualTo(podName);
        List<Deployment> deployments = user.apps().deployments().inNamespace(NS)
                .withLabelSelector(WorkerNames.TASK_LABEL + "=" + TASK).list().getItems();
        assertThat(deployments).hasSize(1);
        assertThat(deployments.get(0).getMetadata().getGeneration()).as("the Deployment was not rewritten").isEqualTo(1L);
    }

    private static long firstFrameAfter(LiveFlvFrames viewer, long t0, int state) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> viewer.seen().stream().filter(s -> s.decodedAtNanos() > t0 && s.state() == state).findFirst(),
                        Optional::isPresent).orElseThrow().decodedAtNanos();
    }

    static int backgroundAt(AVFrame f) {
        return 10 * colourAt(f, 660) + colourAt(f, 1240);
    }

    /** The colour of a block at (x, 180) of the 1280x360 canvas, from U and V (chroma planes are half size). */
    static int colourAt(AVFrame f, int x) {
        int u = LiveFlvFrames.planeAverage(f, 1, x / 2, 90, 4);
        int v = LiveFlvFrames.planeAverage(f, 2, x / 2, 90, 4);
        if (u < 80 && v < 80) {
            return GREEN;
        }
        if (u > 180 && v > 180) {
            return MAGENTA;
        }
        if (v > 170 && u < 130) {
            return RED;
        }
        return OTHER;
    }

    private static MixTask task() {
        return user.resources(MixTask.class).inNamespace(NS).withName(TASK).get();
    }

    private static Pod workerPod() {
        return await().atMost(Duration.ofSeconds(30)).until(() -> user.pods().inNamespace(NS)
                .withLabelSelector(WorkerNames.TASK_LABEL + "=" + TASK).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst(), Optional::isPresent).orElseThrow();
    }
}
