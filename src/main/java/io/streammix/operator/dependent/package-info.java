/**
 * What a task owns in the cluster, as JOSDK standalone dependent resources built on {@link
 * io.streammix.operator.dependent.WorkerDependent}: the Secret ({@link
 * io.streammix.operator.dependent.WorkerSecretDependent}: control token, generated once, and {@code spec.json}), the
 * Service ({@link io.streammix.operator.dependent.WorkerServiceDependent}: media 8080, control 8081), the per-task
 * NetworkPolicy when enabled ({@link io.streammix.operator.dependent.WorkerNetworkPolicyDependent}) and the
 * Deployment of one replica, Recreate ({@link io.streammix.operator.dependent.WorkerDeploymentDependent}, its pod from
 * {@link io.streammix.operator.dependent.WorkerPodTemplate} with the restart hash). Matching is ours (hashes, the
 * Secret's data), not JOSDK's JSON diff; each has a controller owner reference to the MixTask, for garbage collection.
 *
 * <p>Not here: when to reconcile them (the reconciler does, and never on an invalid spec) or what the spec says (the
 * {@link io.streammix.operator.dependent.WorkerPlan} it puts into the context). Holds credentials: the plan and the
 * Secret carry the token and resolved URLs; never log them.
 *
 * <p>Threads: JOSDK reconcile threads (the dependents are shared by all tasks and keep no per-task state; the API
 * server addresses for the NetworkPolicy are cached under a lock); their informers run on the SDK's informer threads.
 */
package io.streammix.operator.dependent;
