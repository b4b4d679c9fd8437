package io.streammix.operator.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.streammix.api.v1alpha1.Phase;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One task's series: its latest {@link Seen}, which {@link TaskRowsCollector} reads at each scrape, so a reconcile
 * only swaps one immutable value and never registers or removes a meter while another thread scrapes
 * (re-registering rows from each reconcile thread showed stale and missing rows), and the counters of the rare events
 * of the task (failed pushes, restarts ordered by the operator), registered when they first happen.
 */
final class TaskSeries {
    /** What the last reconcile of the task derived; replaced whole, so a reader sees one consistent value. */
    record Seen(Phase phase, int containerRestarts, Instant at) {
    }

    private final String namespace;
    private final String name;
    private volatile Seen seen;
    /** The task's counters: removed with the task. */
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    TaskSeries(String namespace, String name, Seen first) {
        this.namespace = namespace;
        this.name = name;
        this.seen = first;
    }

    String namespace() {
        return namespace;
    }

    String name() {
        return name;
    }

    Tags tags() {
        return Tags.of("namespace", namespace, "task", name);
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
