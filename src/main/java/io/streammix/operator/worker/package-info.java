/**
 * The operator's side of the worker's control API: {@link io.streammix.operator.worker.WorkerClient} ({@code GET
 * /status}, {@code PUT /spec} with the task's bearer token, JDK {@link java.net.http.HttpClient}), its outcomes as
 * exceptions ({@link io.streammix.operator.worker.WorkerUnreachableException} to retry, {@link
 * io.streammix.operator.worker.SpecRefusedException} for a 422 never retried, {@link
 * io.streammix.operator.worker.ReconcileInterruptedException} to abandon a reconcile), {@link
 * io.streammix.operator.worker.PushRetries} (backoff, then replace the worker), {@link
 * io.streammix.operator.worker.WorkerSilence} (grace before Degraded) and {@link
 * io.streammix.operator.worker.WorkerNames} (names, labels, annotations of what a task owns).
 *
 * <p>Not here: the API's paths and payloads, shared with the worker ({@code io.streammix.worker.control}), nor the
 * worker's resources ({@code .dependent}). Every message is fit for status: no URL, no body echoed, never the token.
 *
 * <p>Threads: calls are synchronous on the JOSDK reconcile thread, each bounded by {@code
 * mixtask.worker.control-timeout}; retry and silence state is in concurrent maps keyed by task uid, in memory only.
 */
package io.streammix.operator.worker;
