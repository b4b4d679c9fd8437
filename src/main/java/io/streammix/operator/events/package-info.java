/**
 * Kubernetes Events on a MixTask: {@link io.streammix.operator.events.TaskEvents} derives transition Events
 * ({@code Running}, {@code WorkerFailed}, {@code InputLost}, {@code InvalidSpec}, {@code SpecApplied}, ...) from the
 * difference between the status before and after a reconcile, so each is emitted once and an operator restart does
 * not repeat it, and records the reconciler's own ({@code WorkerCreated}, {@code WorkerRestarting}, {@code
 * SpecChanged}, {@code SecretValuesApplied}, ...) as core/v1 Events from component {@code mixtask-operator}.
 *
 * <p>Not here: deciding the status ({@code .status}) or when a worker is created or restarted (the reconciler). Every
 * message goes through {@code Redactor}: worker-supplied reasons may quote URLs with keys.
 *
 * <p>Threads: JOSDK reconcile threads; the Event is created synchronously with the Kubernetes client, and a failure
 * is logged and swallowed: an Event never fails a reconcile.
 */
package io.streammix.operator.events;
