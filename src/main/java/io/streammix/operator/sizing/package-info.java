/**
 * Right-sized workers: what a worker costs for its spec ({@link io.streammix.operator.sizing.WorkerCostModel}, linear
 * terms measured on this engine by {@code WorkerCostCalibrationBenchmark}), the requests and limits that follow from
 * it within the admin's bounds ({@link io.streammix.operator.sizing.WorkerSizing}, {@code mixtask.worker.sizing.*}),
 * the heap ceiling of the worker's JVM that leaves its memory limit room for the predicted native part
 * ({@link io.streammix.operator.sizing.WorkerHeap}), and keeping a running worker at that size when a live edit changes its cost: an in-place resize of its pod
 * ({@link io.streammix.operator.sizing.InPlaceResize}), never a rewrite of its Deployment, which would restart the mix
 * ({@link io.streammix.operator.sizing.WorkerResizer}: Events WorkerResized / WorkerRestartNeeded).
 *
 * <p>Not here: the pod template that carries the figures ({@code operator.dependent.WorkerPodTemplate}) and when a
 * worker is reconciled (the reconciler). Tasks with {@code spec.worker.resources} keep their own figures.
 *
 * <p>Threads: JOSDK reconcile threads; the model and the sizing are stateless, the resize keeps what it reported per
 * pod in a concurrent map.
 */
package io.streammix.operator.sizing;
