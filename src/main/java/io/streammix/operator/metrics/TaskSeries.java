package io.streammix.operator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.streammix.api.v1alpha1.Phase;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One task's series: its gauges are registered once, when the task is first seen, and read the task's latest
 * {@link Seen} at each scrape, so a reconcile only swaps one immutable value and never registers or removes a meter
 * while another thread scrapes (re-registering rows from each reconcile thread showed stale and missing rows).
 */
final class TaskSeries {
    /** What the last reconcile of the task derived; replaced whole, so a reader sees one consistent value. */
    record Seen(Phase phase, int containerRestarts, Instant at) {
    }

    private final Tags tags;
    private volatile Seen seen;
    /** The task's meters (gauges and counters): removed with the task. */
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    TaskSeries(String namespace, String task, Seen first) {
        this.tags = Tags.of("namespace", namespace, "task", task);
        this.seen = first;
    }

    /** Registers the task's gauges: one row per phase (1 for its phase, 0 for the others) and its restarts. */
    TaskSeries registerGauges(MeterRegistry registry) {
        for (Phase p : Phase.values()) {
            // Strong references: the registry holds this object, not a weak reference the GC could clear (NaN rows).
            meters.add(Gauge.builder("mixtask.task.phase", this, s -> s.seen.phase() == p ? 1 : 0)
                    .tags(tags).tag("phase", p.name()).strongReference(true)
                    .description("1 for each task's phase, 0 for its other phases").register(registry));
        }
        meters.add(Gauge.builder("mixtask.worker.container.restarts", this, s -> s.seen.containerRestarts())
                .tags(tags).strongReference(true)
                .description("Restarts of the worker container of each task's current pod (crashes, failed liveness probes)")
                .register(registry));
        return this;
    }

    Tags tags() {
        return tags;
    }

    Seen seen() {
        return seen;
    }

    void seen(Seen now) {
        seen = now;
    }

    void own(Meter meter) {
        if (!meters.contains(meter)) {
            meters.add(meter);
        }
    }

    void removeFrom(MeterRegistry registry) {
        meters.forEach(registry::remove);
    }
}
