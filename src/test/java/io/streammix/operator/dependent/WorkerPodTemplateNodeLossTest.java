package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.WorkerOverrides;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Worker pods leave a lost node within seconds, not Kubernetes' default 300 s (the real-node test measures it). */
class WorkerPodTemplateNodeLossTest {
    @Test
    void workerPodsTolerateALostNodeForTheConfiguredSecondsOnly() {
        WorkerPodTemplate templates = new WorkerPodTemplate(OperatorHarness.config(Map.of(
                "mixtask.worker.node-loss-toleration-seconds", "7")));
        List<Toleration> tolerations = templates.build(Tasks.mixTask("ns", "t")).getSpec().getTolerations();
        assertThat(tolerations).filteredOn(t -> WorkerPodTemplate.NODE_LOSS_TAINTS.contains(t.getKey()))
                .hasSize(2)
                .allSatisfy(t -> {
                    assertThat(t.getEffect()).isEqualTo("NoExecute");
                    assertThat(t.getOperator()).isEqualTo("Exists");
                    assertThat(t.getTolerationSeconds()).isEqualTo(7L);
                });
    }

    @Test
    void aTasksOwnNodeLossTolerationWinsAndItsOtherTolerationsStay() {
        WorkerPodTemplate templates = new WorkerPodTemplate(OperatorHarness.config(Map.of()));
        MixTask task = Tasks.mixTask("ns", "t");
        task.getSpec().worker = new WorkerOverrides();
        task.getSpec().worker.tolerations = List.of(
                new TolerationBuilder().withKey("node.kubernetes.io/unreachable").withOperator("Exists")
                        .withEffect("NoExecute").withTolerationSeconds(120L).build(),
                new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("media")
                        .withEffect("NoSchedule").build());
        List<Toleration> tolerations = templates.build(task).getSpec().getTolerations();
        assertThat(tolerations).filteredOn(t -> "node.kubernetes.io/unreachable".equals(t.getKey()))
                .singleElement().extracting(Toleration::getTolerationSeconds).isEqualTo(120L);
        assertThat(tolerations).filteredOn(t -> "node.kubernetes.io/not-ready".equals(t.getKey()))
                .singleElement().extracting(Toleration::getTolerationSeconds).isEqualTo(5L);
        assertThat(tolerations).extracting(Toleration::getKey).contains("dedicated");
    }
}
