package io.streammix.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.cache.AtMostEvery;
import io.streammix.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator measures of the tasks it runs. Per task (labels {@code namespace}, {@code task}): its phase,
 * its worker's container restarts, failed pushes and operator-ordered restarts. Without a finalizer the operator is
 * not told when a task is deleted, so a task not reconciled for three refresh intervals (every task is reconciled at
 * least once per interval) is forgotten and its series removed; a standby replica, which reconciles nothing,
 * reports no task at all.
 *
 * <p>The per-task rows are no meters: one collector writes them at each scrape from live state ({@link TaskSeries},
 * {@link TaskRowsCollector}); a reconcile replaces one immutable value per task, so many reconcile threads and the
 * scrapes in between never see a missing or an old row.
 */
@ApplicationScoped
public class OperatorMetrics {
    /** Why the operator replaced a worker pod. */
    public enum RestartReason {
        /** The pod template changed: a worker-restart field of the spec, the image, the operator's defaults. */
        SPEC,
        /** Pushes of a spec kept failing: the worker was replaced to read it from its Secret. */
        PUSH_FAILED,
        /** Fast failover: the worker's node was found lost and the worker replaced on another. */
        NODE_LOST;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final MeterRegistry registry;
    private final Duration forgetAfter;
    private final Clock clock;
    /**
     * Per task (namespace/name, as its labels: a task deleted and created again under its name keeps its series),
     * its series; a task's entry is created, replaced and removed only under the map's lock for it.
     */
    private final Map<String, TaskSeries> tasks = new ConcurrentHashMap<>();
    /** The walk over every task for series not seen in {@code forgetAfter}: at most once per a third of it. */
    private final AtMostEvery oldSweeps;
    private final Timer reconcileOk;
    private final Timer reconcileError;

    @Inject
    public OperatorMetrics(MeterRegistry registry, OperatorConfig config) {
        this(registry, config.statusRefreshInterval().multipliedBy(3), Clock.systemUTC());
    }

    OperatorMetrics(MeterRegistry registry, Duration forgetAfter, Clock clock) {
        this.registry = registry;
        this.forgetAfter = forgetAfter;
        this.clock = clock;
        this.oldSweeps = new AtMostEvery(forgetAfter.dividedBy(3), clock);
        for (Phase p : Phase.values()) {
            Gauge.builder("mixtask.tasks", tasks, m -> m.values().stream().filter(s -> s.seen().phase() == p).count())
                    .tag("phase", p.name()).description("MixTasks by phase (as last reconciled by this replica)").register(registry);
        }
        TaskRowsCollector.register(registry, tasks.values());
        reconcileOk = reconcileTimer("success");
        reconcileError = reconcileTimer("error");
    }

    private Timer reconcileTimer(String result) {
        return Timer.builder("mixtask.reconcile").tag("result", result)
                .description("Duration of one reconcile of a MixTask (including the worker's status call and any push)")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10))
                .register(registry);
    }

    public Timer.Sample reconcileStarted() {
        return Timer.start(registry);
    }

    public void reconciled(Timer.Sample sample, boolean ok) {
        sample.stop(ok ? reconcileOk : reconcileError);
    }

    /**
     * The status a reconcile derived for {@code task}: its phase and its worker's container restarts. When this
     * returns, the next scrape shows them.
     */
    public void observed(MixTask task, MixTaskStatus status) {
        Instant now = clock.instant();
        int restarts = status.worker != null && status.worker.restarts != null ? status.worker.restarts : 0;
        TaskSeries.Seen seen = new TaskSeries.Seen(status.phase != null ? status.phase : Phase.Pending, restarts, now);
        tasks.compute(key(task), (uid, series) -> {
            if (series == null) {
                return new TaskSeries(task.getMetadata().getNamespace(), task.getMetadata().getName(), seen);
            }
            series.seen(seen);
            return series;
        });
        // Not on every reconcile: that walk cost the number of tasks each time (quadratic in the tasks per interval).
        if (oldSweeps.due()) {
            forgetOld(now);
        }
    }

    /** A push of a spec to the task's worker failed (it is retried with backoff, then the worker is replaced). */
    public void pushFailed(MixTask task) {
        taskCounter(task, "mixtask.worker.push.failures", Tags.empty(),
                "Failed pushes of a spec to a running worker (PUT /spec unreachable or failing)").increment();
    }

    /** The operator replaced the task's worker pod. */
    public void workerRestarted(MixTask task, RestartReason reason) {
        taskCounter(task, "mixtask.worker.restarts", Tags.of("reason", reason.label()),
                "Worker pods replaced by the operator: spec (the pod template changed) or push-failed").increment();
    }

    private Counter taskCounter(MixTask task, String name, Tags extra, String help) {
        Counter[] counter = new Counter[1];
        // Under the task's lock, so that a task being forgotten does not lose a counter registered meanwhile.
        tasks.compute(key(task), (uid, series) -> {
            TaskSeries s = series != null ? series
                    : new TaskSeries(task.getMetadata().getNamespace(), task.getMetadata().getName(),
                    new TaskSeries.Seen(Phase.Pending, 0, clock.instant()));
            counter[0] = Counter.builder(name).tags(extra).tags(s.tags()).description(help).register(registry);
            s.own(counter[0]);
            return s;
        });
        return counter[0];
    }

    /** The task is deleted: its series go now, not after {@code forgetAfter}. */
    public void forget(MixTask task) {
        tasks.computeIfPresent(key(task), (k, series) -> {
            series.removeFrom(registry);
            return null;
        });
    }

    /** Tasks with series (for tests). */
    public int tracked() {
        return tasks.size();
    }

    /** Walks over every task made so far for series not seen lately (for tests). */
    int oldSweeps() {
        return oldSweeps.granted();
    }

    private static String key(MixTask task) {
        return task.getMetadata().getNamespace() + "/" + task.getMetadata().getName();
    }

    private void forgetOld(Instant now) {
        for (String uid : tasks.keySet()) {
            tasks.computeIfPresent(uid, (k, series) -> {
                if (Duration.between(series.seen().at(), now).compareTo(forgetAfter) <= 0) {
                    return series;
                }
                series.removeFrom(registry);
                return null;
            });
        }
    }
}
