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
 * resizes that same pod in place through {@code pods/resize}: same pod, untouched Deployment (no rollout, the mix goes
 * on), Event WorkerResized. Before sizing, the pod kept the fixed defaults whatever the edit.
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

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(InPlaceResize.same(container(workerPod(admin)), big))
                            .as("the pod's resources, resized; the task's Events: " + events(admin).stream()
                                    .map(e -> e.getReason() + ": " + e.getMessage()).toList()).isTrue());
            Pod after = workerPod(admin);
            assertThat(after.getMetadata().getUid()).as("the same pod: no restart").isEqualTo(before.getMetadata().getUid());
            Deployment now = admin.apps().deployments().inNamespace(NS).withName("mt-sized").get();
            assertThat(now.getMetadata().getGeneration()).as("the Deployment was not rewritten (no rollout)")
                    .isEqualTo(deployment.getMetadata().getGeneration());
            assertThat(now.getSpec().getTemplate()).isEqualTo(deployment.getSpec().getTemplate());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events(admin))
                    .anySatisfy(e -> {
                        assertThat(e.getReason()).isEqualTo("WorkerResized");
                        assertThat(e.getMessage()).contains("in place, no restart", InPlaceResize.describe(big));
                    }));
            assertThat(events(admin)).extracting(Event::getReason).doesNotContain("WorkerRestarting", "WorkerRestartNeeded");
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

    private static List<Event> events(KubernetesClient c) {
        return c.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "sized".equals(e.getInvolvedObject().getName())).toList();
    }
}
