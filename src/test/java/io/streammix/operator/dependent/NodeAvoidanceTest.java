package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.operator.worker.WorkerNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A lost node is excluded from every required node-selector term, whatever affinity the task asked for. */
class NodeAvoidanceTest {
    @Test
    void withoutAffinityTheExclusionIsTheOnlyTerm() {
        Affinity a = NodeAvoidance.excluding(null, "node-b");
        List<NodeSelectorTerm> terms = a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertThat(terms).singleElement().satisfies(t -> assertThat(t.getMatchExpressions()).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(e.getOperator()).isEqualTo("NotIn");
            assertThat(e.getValues()).containsExactly("node-b");
        }));
    }

    @Test
    void everyOredTermOfTheTasksAffinityGetsTheExclusion() {
        Affinity asked = new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("a").endMatchExpression().endNodeSelectorTerm()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("b").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        Affinity a = NodeAvoidance.excluding(asked, "node-b");
        assertThat(a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())
                .hasSize(2).allSatisfy(t -> assertThat(t.getMatchExpressions()).hasSize(2)
                        .anySatisfy(e -> assertThat(e.getValues()).containsExactly("node-b")));
        assertThat(asked.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0)
                .getMatchExpressions()).as("the task's own affinity is not changed").hasSize(1);
    }

    @Test
    void theTemplateCarriesTheAvoidedNodeAndItRestartsTheWorker() {
        WorkerPodTemplate templates = new WorkerPodTemplate(OperatorHarness.config(Map.of()));
        MixTask task = Tasks.mixTask("ns", "t");
        var plain = templates.build(task, null);
        var avoiding = templates.build(task, null, "node-b");
        assertThat(avoiding.getMetadata().getAnnotations()).containsEntry(WorkerNames.AVOID_NODE_ANNOTATION, "node-b");
        assertThat(avoiding.getMetadata().getAnnotations().get(WorkerNames.RESTART_HASH_ANNOTATION))
                .isNotEqualTo(plain.getMetadata().getAnnotations().get(WorkerNames.RESTART_HASH_ANNOTATION));
    }
}
