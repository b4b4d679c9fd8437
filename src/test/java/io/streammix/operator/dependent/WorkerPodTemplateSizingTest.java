package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.WorkerOverrides;
import io.streammix.operator.sizing.WorkerSizing;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.operator.worker.WorkerNames;
import org.junit.jupiter.api.Test;

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
}
