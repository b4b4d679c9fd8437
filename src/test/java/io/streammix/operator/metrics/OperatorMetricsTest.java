package io.streammix.operator.metrics;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.api.v1alpha1.WorkerInfo;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorMetricsTest {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final MutableClock clock = new MutableClock();
    final OperatorMetrics metrics = new OperatorMetrics(registry, Duration.ofSeconds(30), clock);

    @Test
    void tasksPerPhaseFollowEachTasksLatestPhase() {
        MixTask a = task("a");
        MixTask b = task("b");
        metrics.observed(a, status(Phase.Running, 0));
        metrics.observed(b, status(Phase.Running, 0));
        assertThat(tasks(Phase.Running)).isEqualTo(2);
        metrics.observed(b, status(Phase.Degraded, 2));
        assertThat(tasks(Phase.Running)).isEqualTo(1);
        assertThat(tasks(Phase.Degraded)).isEqualTo(1);
        // One row per phase, 1 for the task's: rows never come and go with a phase change.
        OperatorMetricsConcurrencyTest.Row b2 = rows().get("ns/b");
        assertThat(b2.phases()).hasSize(Phase.values().length);
        assertThat(b2.shows(Phase.Degraded, 2)).as("%s", b2).isTrue();
        assertThat(b2.restarts()).isEqualTo(2);
    }

    @Test
    void pushFailuresAndRestartsAreCountedPerTaskAndForgottenWithTheTask() {
        MixTask a = task("a");
        MixTask b = task("b");
        metrics.observed(a, status(Phase.Running, 0));
        metrics.observed(b, status(Phase.Running, 0));
        metrics.pushFailed(a);
        metrics.pushFailed(a);
        metrics.workerRestarted(a, OperatorMetrics.RestartReason.PUSH_FAILED);
        metrics.workerRestarted(a, OperatorMetrics.RestartReason.SPEC);
        assertThat(registry.get("mixtask.worker.push.failures").tag("task", "a").counter().count()).isEqualTo(2);
        assertThat(registry.get("mixtask.worker.restarts").tag("task", "a").tag("reason", "push-failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("mixtask.worker.restarts").tag("task", "a").tag("reason", "spec").counter().count()).isEqualTo(1);

        // a is deleted (no longer reconciled); b goes on.
        clock.now = clock.now.plusSeconds(31);
        metrics.observed(b, status(Phase.Running, 0));
        assertThat(tasks(Phase.Running)).isEqualTo(1);
        assertThat(registry.find("mixtask.worker.push.failures").tag("task", "a").counters()).isEmpty();
        assertThat(rows()).containsOnlyKeys("ns/b");
        assertThat(rows().get("ns/b").phases()).hasSize(Phase.values().length);
    }

    @Test
    void seriesNotSeenLatelyAreLookedForAtMostOncePerThirdOfTheForgetTimeNotOnEveryReconcile() {
        MixTask old = task("old");
        metrics.observed(old, status(Phase.Running, 0));
        // 1000 reconciles of 100 tasks within 9 s: before, each walked every task (100 000 visits); now one walk.
        for (int i = 0; i < 1000; i++) {
            clock.now = clock.now.plusMillis(9);
            metrics.observed(task("t" + (i % 100)), status(Phase.Running, 0));
        }
        assertThat(metrics.oldSweeps()).isEqualTo(1);
        // "old" is not seen again: kept at 21 s, gone at the first walk after 30 s (at most 10 s, a third, late).
        clock.now = clock.now.plusSeconds(12);
        metrics.observed(task("t0"), status(Phase.Running, 0));
        assertThat(rows()).containsKey("ns/old");
        clock.now = clock.now.plusSeconds(10);
        metrics.observed(task("t0"), status(Phase.Running, 0));
        assertThat(rows()).doesNotContainKey("ns/old");
        assertThat(metrics.oldSweeps()).isEqualTo(3);
    }

    @Test
    void reconcilesAreTimedBySuccessOrError() {
        metrics.reconciled(metrics.reconcileStarted(), true);
        metrics.reconciled(metrics.reconcileStarted(), false);
        metrics.reconciled(metrics.reconcileStarted(), true);
        assertThat(registry.get("mixtask.reconcile").tag("result", "success").timer().count()).isEqualTo(2);
        assertThat(registry.get("mixtask.reconcile").tag("result", "error").timer().count()).isEqualTo(1);
    }

    @Test
    void perTaskRowsAreNoMetersButOneCollector() {
        for (int i = 0; i < 100; i++) {
            metrics.observed(task("t" + i), status(Phase.Running, 0));
        }
        // What the scrape shows comes from one collector: the registry holds no meter per task.
        assertThat(rows()).hasSize(100);
        assertThat(registry.getMeters()).noneMatch(m -> m.getId().getTag("task") != null);
    }

    private java.util.Map<String, OperatorMetricsConcurrencyTest.Row> rows() {
        return OperatorMetricsConcurrencyTest.rows(registry.scrape());
    }

    private double tasks(Phase p) {
        return registry.get("mixtask.tasks").tag("phase", p.name()).gauge().value();
    }

    private static MixTask task(String name) {
        MixTask t = Tasks.mixTask("ns", name);
        t.getMetadata().setUid(UUID.randomUUID().toString());
        return t;
    }

    private static MixTaskStatus status(Phase phase, int restarts) {
        MixTaskStatus s = new MixTaskStatus();
        s.phase = phase;
        s.worker = new WorkerInfo();
        s.worker.restarts = restarts;
        return s;
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
