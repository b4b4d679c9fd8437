package io.streammix.operator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import io.streammix.api.v1alpha1.Phase;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The per-task rows ({@code mixtask_task_phase}, {@code mixtask_worker_container_restarts}), written at each scrape
 * from the tasks' latest {@link TaskSeries.Seen}. One collector for all tasks instead of six Micrometer gauges per task
 * (each with its id, tags and Prometheus child): at thousands of tasks those were a per-task cost in the heap that the
 * scrape never needed, since the rows are only read when Prometheus asks. The rows are the same as the gauges' were:
 * one per phase, 1 for the task's and 0 for the others, so they do not come and go with a phase change.
 */
final class TaskRowsCollector extends Collector {
    private static final List<String> TASK = List.of("namespace", "task");
    private static final List<String> TASK_PHASE = List.of("namespace", "task", "phase");

    private final Collection<TaskSeries> tasks;

    private TaskRowsCollector(Collection<TaskSeries> tasks) {
        this.tasks = tasks;
    }

    /**
     * Registers the rows of {@code tasks} (a live view) with the Prometheus registry in {@code registry}, itself or one
     * of its composite's; a registry without Prometheus (none serves {@code /q/metrics}) gets none.
     */
    static void register(MeterRegistry registry, Collection<TaskSeries> tasks) {
        prometheus(registry).ifPresent(p -> new TaskRowsCollector(tasks).register(p.getPrometheusRegistry()));
    }

    private static Optional<PrometheusMeterRegistry> prometheus(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry p) {
            return Optional.of(p);
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            return composite.getRegistries().stream().map(TaskRowsCollector::prometheus).flatMap(Optional::stream).findFirst();
        }
        return Optional.empty();
    }

    @Override
    public List<MetricFamilySamples> collect() {
        GaugeMetricFamily phases = new GaugeMetricFamily("mixtask_task_phase",
                "1 for each task's phase, 0 for its other phases", TASK_PHASE);
        GaugeMetricFamily restarts = new GaugeMetricFamily("mixtask_worker_container_restarts",
                "Restarts of the worker container of each task's current pod (crashes, failed liveness probes)", TASK);
        for (TaskSeries task : tasks) {
            TaskSeries.Seen seen = task.seen(); // one read: the rows of a task always agree
            for (Phase p : Phase.values()) {
                phases.addMetric(List.of(task.namespace(), task.name(), p.name()), seen.phase() == p ? 1 : 0);
            }
            restarts.addMetric(List.of(task.namespace(), task.name()), seen.containerRestarts());
        }
        return List.of(phases, restarts);
    }
}
