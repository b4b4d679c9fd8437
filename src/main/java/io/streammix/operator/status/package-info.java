/**
 * A task's status, derived, never guessed from the spec: {@link io.streammix.operator.status.StatusBuilder} builds it
 * from an {@link io.streammix.operator.status.Observation} (the worker's report, the worker pod, the previous status,
 * the fate of the last push as a {@link io.streammix.operator.status.SpecUpdate}); {@link
 * io.streammix.operator.status.Conditions} moves {@code lastTransitionTime} only on a real change; {@link
 * io.streammix.operator.status.StatusWrites} decides whether a write is due (changes at once, moving figures once per
 * {@code mixtask.status-figures-interval}); {@link io.streammix.operator.status.Redactor} strips URLs from text that reaches status or Events.
 *
 * <p>Not here: the status model ({@link io.streammix.api.v1alpha1.MixTaskStatus}), the write itself (the reconciler's
 * status patch, which also puts the patched task into JOSDK's cache: the previous status is the cached task's) and the Events derived from two statuses ({@code .events}).
 *
 * <p>Threads: JOSDK reconcile threads; everything here is pure: no state of its own.
 */
package io.streammix.operator.status;
