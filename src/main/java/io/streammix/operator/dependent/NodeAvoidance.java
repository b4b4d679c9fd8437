package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * A worker's affinity that keeps it off one node (one fast failover found lost), on top of whatever affinity the task
 * asked for. Required node-selector terms are ORed, so the exclusion goes into every term (and is the only term when
 * there were none): wherever the task may run, never on that node.
 */
final class NodeAvoidance {
    private NodeAvoidance() {
    }

    static Affinity excluding(Affinity asked, String node) {
        Affinity affinity = asked == null ? new Affinity() : new AffinityBuilder(asked).build();
        NodeSelectorRequirement notThere = new NodeSelectorRequirementBuilder().withKey("kubernetes.io/hostname")
                .withOperator("NotIn").withValues(node).build();
        if (affinity.getNodeAffinity() == null) {
            affinity.setNodeAffinity(new io.fabric8.kubernetes.api.model.NodeAffinity());
        }
        var nodeAffinity = affinity.getNodeAffinity();
        if (nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new io.fabric8.kubernetes.api.model.NodeSelector());
        }
        var selector = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        List<NodeSelectorTerm> terms = new ArrayList<>();
        if (selector.getNodeSelectorTerms() == null || selector.getNodeSelectorTerms().isEmpty()) {
            terms.add(new NodeSelectorTermBuilder().withMatchExpressions(notThere).build());
        } else {
            for (NodeSelectorTerm t : selector.getNodeSelectorTerms()) {
                NodeSelectorTerm copy = new NodeSelectorTermBuilder(t).build();
                List<NodeSelectorRequirement> expressions = new ArrayList<>(copy.getMatchExpressions() == null ? List.of() : copy.getMatchExpressions());
                expressions.add(notThere);
                copy.setMatchExpressions(expressions);
                terms.add(copy);
            }
        }
        selector.setNodeSelectorTerms(terms);
        return affinity;
    }
}
