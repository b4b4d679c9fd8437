package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A worker's affinity that keeps it off one node (one fast failover found lost), on top of whatever affinity the task
 * asked for. Required node-selector terms are ORed, so the exclusion goes into every term (and is the only term when
 * there were none): wherever the task may run, never on that node. The avoidance is dropped again when the worker's
 * pod cannot be scheduled or its template changes anyway ({@link WorkerDeploymentDependent}).
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

    /** True when a live pod of the worker is waiting for a node it cannot get ({@code PodScheduled=False}). */
    static boolean unschedulable(Collection<Pod> pods) {
        return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                        && p.getStatus().getConditions() != null)
                .flatMap(p -> p.getStatus().getConditions().stream())
                .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
    }
}
