package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.worker.WorkerNames;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The worker: a Deployment of one replica with the Recreate strategy (see docs/architecture.md):
 * the ReplicaSet controller replaces the pod if its node dies, even while the operator is down, and
 * Recreate stops the old pod before starting a new one, so two workers never publish the same output.
 *
 * <p>The Deployment is updated only when the restart hash changes: the spec reaches a running worker
 * through its Secret and control API, so spec edits and status writes never restart it.
 */
public class WorkerDeploymentDependent extends WorkerDependent<Deployment> {
    private final WorkerPodTemplate podTemplate;

    public WorkerDeploymentDependent(WorkerPodTemplate podTemplate) {
        super(Deployment.class, WorkerDependent::moreThanStatus);
        this.podTemplate = podTemplate;
    }

    @Override
    protected Deployment desired(MixTask task, Context<MixTask> context) {
        // A restart token, once set by an escalation, stays: an operator restart computes the same hash.
        String restartToken = WorkerPlan.from(context).restartToken();
        if (restartToken == null) {
            restartToken = context.getSecondaryResource(Deployment.class)
                    .map(WorkerDeploymentDependent::templateAnnotations)
                    .map(a -> a.get(WorkerNames.RESTART_TOKEN_ANNOTATION))
                    .orElse(null);
        }
        Optional<Deployment> current = context.getSecondaryResource(Deployment.class);
        String newlyLost = WorkerPlan.from(context).avoidNode();
        String avoided = current.map(WorkerDeploymentDependent::templateAnnotations)
                .map(a -> a.get(WorkerNames.AVOID_NODE_ANNOTATION)).orElse(null);
        var template = podTemplate.build(task, restartToken, newlyLost != null ? newlyLost : avoided);
        if (newlyLost == null && avoided != null) {
            // A node fast failover found lost stays avoided while the worker runs elsewhere: any change of the template
            // replaces the pod (Recreate), so forgetting the node alone would restart a healthy worker. It is forgotten
            // when that costs nothing or is needed: when the template changes anyway, or when the worker's pod cannot
            // be scheduled (the avoided node, back or not, may be the only one it fits: kept, the worker never runs).
            String currentHash = current.map(d -> annotation(d, WorkerNames.RESTART_HASH_ANNOTATION)).orElse(null);
            boolean changingAnyway = !template.getMetadata().getAnnotations().get(WorkerNames.RESTART_HASH_ANNOTATION).equals(currentHash);
            if (changingAnyway || NodeAvoidance.unschedulable(context.getSecondaryResources(Pod.class))) {
                template = podTemplate.build(task, restartToken, null);
            }
        }
        String hash = template.getMetadata().getAnnotations().get(WorkerNames.RESTART_HASH_ANNOTATION);
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(WorkerNames.workerName(task))
                .withNamespace(task.getMetadata().getNamespace())
                .withLabels(WorkerNames.labels(task))
                .withAnnotations(new HashMap<>(Map.of(WorkerNames.RESTART_HASH_ANNOTATION, hash)))
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewStrategy().withType("Recreate").endStrategy()
                .withRevisionHistoryLimit(2)
                .withNewSelector().withMatchLabels(WorkerNames.labels(task)).endSelector()
                .withTemplate(template)
                .endSpec()
                .build();
    }

    /** The annotations of a Deployment's pod template, empty when it has none. */
    public static Map<String, String> templateAnnotations(Deployment d) {
        if (d.getSpec() == null || d.getSpec().getTemplate() == null || d.getSpec().getTemplate().getMetadata() == null
                || d.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
            return Map.of();
        }
        return d.getSpec().getTemplate().getMetadata().getAnnotations();
    }

    @Override
    protected boolean sameAs(Deployment actual, Deployment desired) {
        return Objects.equals(annotation(actual, WorkerNames.RESTART_HASH_ANNOTATION),
                annotation(desired, WorkerNames.RESTART_HASH_ANNOTATION))
                && actual.getSpec() != null && Objects.equals(actual.getSpec().getReplicas(), 1);
    }
}
