/**
 * The operator's own Prometheus metrics, through the Quarkus Micrometer registry (served with the JVM's and
 * JOSDK's at {@code /q/metrics}): tasks per phase, each task's phase, reconcile durations, failed pushes of a spec
 * to a worker, worker restarts (ordered by the operator, and container restarts seen on the pod).
 *
 * <p>Threads: {@link io.streammix.operator.metrics.OperatorMetrics} is called from the reconcile threads (several
 * at once, one task each) and read by the metrics endpoint's threads, which also run {@link
 * io.streammix.operator.metrics.TaskRowsCollector} (the per-task rows, written at each scrape, no meter per task); its
 * state is in concurrent maps.
 */
package io.streammix.operator.metrics;
