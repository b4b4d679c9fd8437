package io.streammix.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator measures of the tasks it runs. Per task (labels {@code namespace}, {@code task}): its phase,
 * its worker's container restarts, failed pushes and operator-ordered restarts. Without a finalizer the operator is
 * not told when a task is deleted, so a task not reconciled for three refresh intervals (every task is reconciled at
 * least once per interval) is forgotten and its series removed; a standby replica, which reconciles nothing,
 * reports no task at all.
 */
@ApplicationScoped
public class OperatorMetrics {
    /** Why the operator replaced a worker pod. */
    public enum RestartReason {
        /** The pod template changed: a worker-restart field of the spec, the image, the operator's defaults. */
        SPEC,
        /** Pushes of a spec kept failing: the worker was replaced to read it from its Secret. */
        PUSH_FAILED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private record Seen(String namespace, String task, Phase phase, int containerRestarts, Instant at) {
    }

    private final MeterRegistry registry;
    private final Duration forgetAfter;
    private final Clock clock;
    private final Map<String, Seen> tasks = new ConcurrentHashMap<>();
    /** Per task uid, its counters: removed with the task. */
    private final Map<String, List<Meter>> taskMeters = new ConcurrentHashMap<>();
    private final MultiGauge phases;
    private final MultiGauge containerRestarts;
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
        for (Phase p : Phase.values()) {
            Gauge.builder("mixtask.tasks", tasks, m -> m.values().stream().filter(s -> s.phase() == p).count())
                    .tag("phase", p.name()).description("MixTasks by phase (as last reconciled by this replica)").register(registry);
        }
        phases = MultiGauge.builder("mixtask.task.phase").description("1 for each task, labelled with its phase").register(registry);
        containerRestarts = MultiGauge.builder("mixtask.worker.container.restarts")
                .description("Restarts of the worker container of each task's current pod (crashes, failed liveness probes)")
                .register(registry);
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

    /** The status a reconcile derived for {@code task}: its phase and its worker's container restarts. */
    public void observed(MixTask task, MixTaskStatus status) {
        Instant now = clock.instant();
        int restarts = status.worker != null && status.worker.restarts != null ? status.worker.restarts : 0;
        tasks.put(task.getMetadata().getUid(), new Seen(task.getMetadata().getNamespace(), task.getMetadata().getName(),
                status.phase, restarts, now));
        forgetOld(now);
        List<MultiGauge.Row<?>> phaseRows = new ArrayList<>();
        List<MultiGauge.Row<?>> restartRows = new ArrayList<>();
        tasks.values().forEach(s -> {
            Tags t = Tags.of("namespace", s.namespace(), "task", s.task());
            if (s.phase() != null) {
                phaseRows.add(MultiGauge.Row.of(t.and("phase", s.phase().name()), 1));
            }
            restartRows.add(MultiGauge.Row.of(t, s.containerRestarts()));
        });
        phases.register(phaseRows, true);
        containerRestarts.register(restartRows, true);
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
        Counter c = Counter.builder(name).tags(extra).tag("namespace", task.getMetadata().getNamespace())
                .tag("task", task.getMetadata().getName()).description(help).register(registry);
        List<Meter> mine = taskMeters.computeIfAbsent(task.getMetadata().getUid(), k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        if (!mine.contains(c)) {
            mine.add(c);
        }
        return c;
    }

    private void forgetOld(Instant now) {
        tasks.entrySet().removeIf(e -> {
            if (Duration.between(e.getValue().at(), now).compareTo(forgetAfter) <= 0) {
                return false;
            }
            List<Meter> meters = taskMeters.remove(e.getKey());
            if (meters != null) {
                meters.forEach(registry::remove);
            }
            return true;
        });
    }
}
