package io.streammix.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.spec.ResolvedSpec;

/**
 * What the reconciler decided for this round, handed to the dependents' {@code desired()}: the
 * accepted spec and the task's control token. Holds credentials: never log it.
 *
 * @param restartToken a new value for the pod template's restart token, to replace a worker that does not
 *                     take a spec (pushes failed); null keeps the Deployment's current token
 * @param avoidNode    a node the worker must not run on (lost: fast failover); null keeps the Deployment's current one
 */
public record WorkerPlan(ResolvedSpec resolved, String token, String restartToken, String avoidNode) {
    private static final String KEY = WorkerPlan.class.getName();

    public WorkerPlan(ResolvedSpec resolved, String token) {
        this(resolved, token, null, null);
    }

    public WorkerPlan(ResolvedSpec resolved, String token, String restartToken) {
        this(resolved, token, restartToken, null);
    }

    public void putInto(Context<MixTask> context) {
        context.managedWorkflowAndDependentResourceContext().put(KEY, this);
    }

    public static WorkerPlan from(Context<MixTask> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, WorkerPlan.class);
    }

    @Override
    public String toString() {
        return "WorkerPlan[generation=" + resolved.submission().generation() + "]";
    }
}
