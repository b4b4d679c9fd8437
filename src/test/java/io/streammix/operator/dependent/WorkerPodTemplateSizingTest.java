package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.WorkerOverrides;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.sizing.WorkerHeap;
import io.streammix.operator.sizing.WorkerSizing;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.operator.worker.WorkerNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker pod's resources come from the task's spec when it sets none, and a change of cost alone never changes
 * the restart hash: the Deployment is not rewritten (which would restart the mix) for a live edit.
 */
class WorkerPodTemplateSizingTest {
    static final WorkerPodTemplate TEMPLATES = new WorkerPodTemplate(OperatorHarness.config(Map.of()));

    static ResourceRequirements resources(PodTemplateSpec t) {
        return t.getSpec().getContainers().get(0).getResources();
    }

    static String hash(PodTemplateSpec t) {
        return t.getMetadata().getAnnotations().get(WorkerNames.RESTART_HASH_ANNOTATION);
    }

    @Test
    void aTaskWithoutResourcesGetsThemFromItsSpec() {
        MixTask small = Tasks.mixTask("ns", "t");
        MixTask big = Tasks.mixTask("ns", "t");
        big.getSpec().outputs.get(0).video.width = 1920;
        big.getSpec().outputs.get(0).video.height = 1080;
        WorkerSizing sizing = new WorkerSizing(OperatorHarness.config(Map.of()));
        assertThat(resources(TEMPLATES.build(small))).isEqualTo(sizing.forSpec(small.getSpec()));
        assertThat(resources(TEMPLATES.build(big))).isEqualTo(sizing.forSpec(big.getSpec()));
        assertThat(resources(TEMPLATES.build(big))).as("a 1080p output costs more than a 360p one")
                .isNotEqualTo(resources(TEMPLATES.build(small)));
    }

    @Test
    void aCostChangeAloneKeepsTheRestartHashAndSoTheDeployment() {
        MixTask before = Tasks.mixTask("ns", "t");
        MixTask after = Tasks.mixTask("ns", "t");
        after.getSpec().outputs.get(0).video.width = 1280;
        after.getSpec().outputs.get(0).video.height = 720;
        assertThat(hash(TEMPLATES.build(after))).isEqualTo(hash(TEMPLATES.build(before)));
        // ... and equals the hash of an operator without sizing: upgrading to sizing restarts no running worker.
        WorkerPodTemplate fixed = new WorkerPodTemplate(OperatorHarness.config(Map.of("mixtask.worker.sizing.enabled", "false")));
        assertThat(hash(TEMPLATES.build(before))).isEqualTo(hash(fixed.build(before)));
        assertThat(resources(fixed.build(before)).getRequests()).containsEntry("cpu", new Quantity("1"))
                .containsEntry("memory", new Quantity("768Mi"));
    }

    @Test
    void aTasksOwnResourcesWinAndAreInTheHash() {
        MixTask own = Tasks.mixTask("ns", "t");
        own.getSpec().worker = new WorkerOverrides();
        own.getSpec().worker.resources = new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")))
                .withLimits(Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi"))).build();
        PodTemplateSpec t = TEMPLATES.build(own);
        assertThat(resources(t)).isEqualTo(own.getSpec().worker.resources);
        assertThat(hash(t)).isNotEqualTo(hash(TEMPLATES.build(Tasks.mixTask("ns", "t"))));
    }

    static String javaOptions(PodTemplateSpec t) {
        return t.getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .findFirst().orElseThrow().getValue();
    }

    /**
     * The heap ceiling follows the worker's own memory limit, sized, declared or fixed (WorkerHeap), and a cost change
     * alone still keeps the restart hash although it moves the ceiling.
     */
    @Test
    void theHeapCeilingFollowsTheWorkersOwnLimitOutsideTheHash() {
        WorkerHeap heap = new WorkerHeap(OperatorHarness.config(Map.of()));
        MixTask small = Tasks.mixTask("ns", "t");
        MixTask big = Tasks.mixTask("ns", "t");
        big.getSpec().outputs.get(0).video.width = 1920;
        big.getSpec().outputs.get(0).video.height = 1080;
        for (MixTask task : List.of(small, big)) {
            PodTemplateSpec t = TEMPLATES.build(task);
            assertThat(javaOptions(t)).isEqualTo(heap.javaOptions(OperatorConfig.Worker.DEFAULT_JAVA_OPTIONS, task.getSpec(),
                    resources(t).getLimits().get("memory")) + " -Djava.io.tmpdir=/scratch").contains("-Xmx");
        }
        assertThat(javaOptions(TEMPLATES.build(big))).isNotEqualTo(javaOptions(TEMPLATES.build(small)));
        assertThat(hash(TEMPLATES.build(big))).isEqualTo(hash(TEMPLATES.build(small)));

        MixTask own = Tasks.mixTask("ns", "t");
        own.getSpec().worker = new WorkerOverrides();
        own.getSpec().worker.resources = new ResourceRequirementsBuilder()
                .withLimits(Map.of("cpu", new Quantity("1"), "memory", new Quantity("2Gi"))).build();
        assertThat(javaOptions(TEMPLATES.build(own))).as("a declared limit")
                .contains(heap.javaOptions(OperatorConfig.Worker.DEFAULT_JAVA_OPTIONS, own.getSpec(), new Quantity("2Gi")));
        WorkerPodTemplate fixed = new WorkerPodTemplate(OperatorHarness.config(Map.of("mixtask.worker.sizing.enabled", "false")));
        assertThat(javaOptions(fixed.build(small))).as("sizing off: the fixed limit")
                .contains(heap.javaOptions(OperatorConfig.Worker.DEFAULT_JAVA_OPTIONS, small.getSpec(), new Quantity("1536Mi")));
    }

    /** An admin's JVM options that size the heap themselves are the worker's as they are. */
    @Test
    void anAdminsOwnHeapSettingIsKept() {
        String own = "-XX:MaxRAMPercentage=60 -XX:+UseSerialGC";
        WorkerPodTemplate templates = new WorkerPodTemplate(OperatorHarness.config(Map.of("mixtask.worker.java-options", own)));
        assertThat(javaOptions(templates.build(Tasks.mixTask("ns", "t")))).isEqualTo(own + " -Djava.io.tmpdir=/scratch");
    }
}
