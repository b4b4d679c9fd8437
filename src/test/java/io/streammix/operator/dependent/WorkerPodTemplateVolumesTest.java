package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.WorkerOverrides;
import io.streammix.api.v1alpha1.WorkerVolume;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.operator.worker.WorkerNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerPodTemplateVolumesTest {
    final WorkerPodTemplate templates = new WorkerPodTemplate(OperatorHarness.config(Map.of()));

    @Test
    void claimsAreMountedReadWriteBesideTheWorkersOwnVolumesAndTheUidCanWriteThem() {
        MixTask task = Tasks.mixTask("ns", "rec");
        task.getSpec().worker = new WorkerOverrides();
        task.getSpec().worker.volumes = List.of(new WorkerVolume("recordings", "mix-recordings", "/recordings"));
        PodTemplateSpec pod = templates.build(task);

        Volume v = pod.getSpec().getVolumes().stream().filter(x -> x.getName().equals("rec-recordings")).findFirst().orElseThrow();
        assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("mix-recordings");
        assertThat(v.getPersistentVolumeClaim().getReadOnly()).isNotEqualTo(Boolean.TRUE);
        Container c = pod.getSpec().getContainers().get(0);
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("rec-recordings");
            assertThat(m.getMountPath()).isEqualTo("/recordings");
            assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        });
        assertThat(pod.getSpec().getVolumes()).extracting(Volume::getName).contains("control", "scratch");
        // Root filesystem stays read-only; a fresh volume is group-owned by the image's UID.
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getSpec().getSecurityContext().getFsGroup()).isEqualTo(WorkerPodTemplate.RUN_AS_USER);
    }

    @Test
    void changingAVolumeRestartsTheWorker() {
        MixTask task = Tasks.mixTask("ns", "rec");
        task.getSpec().worker = new WorkerOverrides();
        task.getSpec().worker.volumes = List.of(new WorkerVolume("recordings", "a", "/recordings"));
        String before = templates.build(task).getMetadata().getAnnotations().get(WorkerNames.RESTART_HASH_ANNOTATION);
        task.getSpec().worker.volumes = List.of(new WorkerVolume("recordings", "b", "/recordings"));
        String after = templates.build(task).getMetadata().getAnnotations().get(WorkerNames.RESTART_HASH_ANNOTATION);
        assertThat(after).isNotEqualTo(before);
    }
}
