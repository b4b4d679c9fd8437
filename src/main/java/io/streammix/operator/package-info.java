/**
 * The operator role (Quarkus and java-operator-sdk through quarkus-operator-sdk): {@link
 * io.streammix.operator.MixTaskReconciler} runs one worker per MixTask. Each reconcile resolves the spec, brings the
 * worker's Secret, Service, NetworkPolicy (when enabled) and Deployment up to date only when the spec is valid, asks
 * the worker for its report and pushes a newer spec, derives the status, emits Events, and comes back after
 * {@code mixtask.status-refresh-interval}.
 *
 * <p>Not here: the parts it orchestrates, each in a subpackage: spec checks and resolution ({@code .spec}), the
 * owned resources ({@code .dependent}), the control-API client and push retries ({@code .worker}), status derivation
 * ({@code .status}), Events ({@code .events}), settings ({@code .config}), metrics ({@code .metrics}) and what the
 * informer caches keep of each object ({@code .cache}).
 *
 * <p>Threads: JOSDK's reconcile threads ({@code quarkus.operator-sdk.concurrent-reconciliation-threads}, 20), never
 * two at once for one task; the per-task memory (last status, push retries, worker silence, announced generations)
 * is in concurrent maps and is lost on restart by design: everything that matters is in the cluster.
 */
package io.streammix.operator;
