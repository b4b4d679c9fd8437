package io.streammix.operator.sizing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.testing.kube.ChartRelease;
import io.streammix.testing.kube.ControlPlane;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a real control plane with the chart's permissions: a MixTask's worker pod starts with the requests and limits
 * sized from its spec, and a live edit that changes the cost (a bigger output: an output restart, not a worker one)
 * resizes that same pod in place through {@code pods/resize} (Event WorkerResized) or, where the API server refuses
 * (here: the loopback node declares no resize support, HTTP 422), says a restart is needed (Event
 * WorkerRestartNeeded with the new figures and the reason): either way the same pod, an untouched Deployment (no
 * rollout, the mix goes on). Before sizing, the pod kept the fixed defaults whatever the edit, and no Event said so.
 */
@Tag(ControlPlane.TAG)
class WorkerResizeOnApiServerTest {
    static final String NS = "resize";

    @Test
    void aCostChangingLiveEditResizesTheRunningPodInPlace() throws Exception {
        ControlPlane cp = ControlPlane.forMixTasks();
        ChartRelease release = ChartRelease.standard(cp);
        KubernetesClient admin = cp.adminClient();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
        WorkerSizing sizing = new WorkerSizing(OperatorHarness.config(Map.of()));
        try (ChartRelease.Running operator = release.startOperator(ChartRelease.LOOPBACK_OVERRIDES, null)) {
            MixTask task = new MixTask();
            task.getMetadata().setName("sized");
            task.getMetadata().setNamespace(NS);
            task.setSpec(spec());
            admin.resource(task).create();
            await().atMost(Duration.ofSeconds(120)).until(() -> phase(admin) == Phase.Running);

            Pod before = workerPod(admin);
            ResourceRequirements small = sizing.forSpec(task.getSpec());
            assertThat(InPlaceResize.same(container(before), small)).as("the pod starts sized from its spec: " + container(before)).isTrue();
            Deployment deployment = admin.apps().deployments().inNamespace(NS).withName("mt-sized").get();

            MixTask edited = admin.resources(MixTask.class).inNamespace(NS).withName("sized").edit(t -> {
                t.getSpec().outputs.get(0).video.width = 1920;
                t.getSpec().outputs.get(0).video.height = 1080;
                return t;
            });
            ResourceRequirements big = sizing.forSpec(edited.getSpec());
            assertThat(InPlaceResize.same(big, small)).as("the edit changes the cost").isFalse();

            // As designed, one of two: resized in place (a node that supports it), or WorkerRestartNeeded naming the new
            // figures and the API server's reason (the loopback node declares no resize support: HTTP 422) with the pod as
            // it was. Either way the same pod goes on mixing and the Deployment is not rewritten.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    InPlaceResize.same(container(workerPod(admin)), big) && reasons(admin).contains("WorkerResized")
                            || reasons(admin).contains("WorkerRestartNeeded"))
                    .as("resized in place or a restart needed reported; the task's Events: " + events(admin).stream()
                            .map(e -> e.getReason() + ": " + e.getMessage()).toList()).isTrue());
            boolean resized = reasons(admin).contains("WorkerResized");
            System.out.println("WorkerResizeOnApiServerTest: " + (resized ? "resized in place" : "restart needed: "
                    + events(admin).stream().filter(e -> e.getReason().equals("WorkerRestartNeeded")).findFirst().orElseThrow().getMessage()));
            Pod after = workerPod(admin);
            assertThat(after.getMetadata().getUid()).as("the same pod: no restart").isEqualTo(before.getMetadata().getUid());
            assertThat(InPlaceResize.same(container(after), resized ? big : small)).as("the pod's resources").isTrue();
            Deployment now = admin.apps().deployments().inNamespace(NS).withName("mt-sized").get();
            assertThat(now.getMetadata().getGeneration()).as("the Deployment was not rewritten (no rollout)")
                    .isEqualTo(deployment.getMetadata().getGeneration());
            assertThat(now.getSpec().getTemplate()).isEqualTo(deployment.getSpec().getTemplate());
            assertThat(events(admin)).filteredOn(e -> e.getReason().startsWith("Worker") && !e.getReason().equals("WorkerCreated"))
                    .singleElement().satisfies(e -> assertThat(e.getMessage()).contains(InPlaceResize.describe(big)));
            assertThat(reasons(admin)).doesNotContain("WorkerRestarting");
            await("the mix goes on").atMost(Duration.ofSeconds(30)).until(() -> phase(admin) == Phase.Running);
            assertThat(workerPod(admin).getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
        } finally {
            admin.resources(MixTask.class).inNamespace(NS).withName("sized").delete();
        }
    }

    /** One synthetic picture on a 640x360@15 output served by the worker itself. */
    private static MixTaskSpec spec() {
        MixInput in = new MixInput();
        in.name = "cam";
        in.url = "synthetic:color?color=#C03030&size=320x180&fps=15";
        in.rect = new Rect(0, 0, 640, 360);
        MixOutput out = new MixOutput();
        out.streamId = "sized";
        out.video = new VideoEncoding();
        out.video.width = 640;
        out.video.height = 360;
        out.video.fps = 15;
        out.video.bitrate = 800_000;
        MixTaskSpec spec = new MixTaskSpec();
        spec.inputs = List.of(in);
        spec.outputs = List.of(out);
        return spec;
    }

    private static Phase phase(KubernetesClient c) {
        MixTask t = c.resources(MixTask.class).inNamespace(NS).withName("sized").get();
        return t == null || t.getStatus() == null ? null : t.getStatus().phase;
    }

    private static Pod workerPod(KubernetesClient c) {
        return c.pods().inNamespace(NS).withLabelSelector(WorkerNames.TASK_LABEL + "=sized").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst().orElseThrow();
    }

    private static ResourceRequirements container(Pod p) {
        return p.getSpec().getContainers().get(0).getResources();
    }

    private static List<String> reasons(KubernetesClient c) {
        return events(c).stream().map(Event::getReason).toList();
    }

    private static List<Event> events(KubernetesClient c) {
        return c.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "sized".equals(e.getInvolvedObject().getName())).toList();
    }
}
