package io.streammix.operator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.cache.AtMostEvery;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.events.SpecAnnouncements;
import io.streammix.operator.metrics.OperatorMetrics;
import io.streammix.operator.sizing.WorkerResizer;
import io.streammix.operator.sizing.WorkerSizing;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.operator.worker.PushRetries;
import io.streammix.operator.worker.WorkerSilence;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several watched namespaces: the task informers keep fabric8's stores, so no removal reaches TaskMemory; it finds a
 * deleted task by looking for the tasks it reconciled in the primary cache, at most once per sweep interval.
 */
class TaskMemorySweepTest {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    final WorkerSilence silence = new WorkerSilence();
    final OperatorConfig config = OperatorHarness.config(Map.of());
    final TaskMemory memory = new TaskMemory(silence, new PushRetries(), new SpecAnnouncements(null),
            new WorkerResizer(new WorkerSizing(config), null), new OperatorMetrics(new SimpleMeterRegistry(), config),
            new AtMostEvery(Duration.ofSeconds(30), clock));
    final Map<ResourceID, MixTask> cache = new HashMap<>();

    @Test
    void aTaskDeletedWithoutAReconcileIsForgottenAtTheNextSweepAnotherTasksReconcileMakes() {
        MixTask a = cached("multi-a", "a");
        MixTask b = cached("multi-b", "b");
        reconciled(a);
        reconciled(b);
        assertThat(silence.size()).isEqualTo(2);
        assertThat(memory.entries().get("reconciled")).isEqualTo(2);

        cache.remove(ResourceID.fromResource(a));
        now = now.plusSeconds(10);
        reconciled(b);
        assertThat(silence.size()).as("no sweep within 30 s of the last").isEqualTo(2);
        now = now.plusSeconds(21);
        reconciled(b);
        assertThat(silence.size()).as("a is gone from the cache: forgotten").isEqualTo(1);
        assertThat(memory.entries().get("reconciled")).isEqualTo(1);
    }

    @Test
    void aTaskDeletedDuringItsReconcileIsForgottenAtItsEnd() {
        MixTask c = Tasks.mixTask("multi-a", "c");
        c.getMetadata().setUid(UUID.randomUUID().toString());
        reconciled(c);
        assertThat(silence.size()).isZero();
        assertThat(memory.entries().get("reconciled")).isZero();
    }

    private MixTask cached(String namespace, String name) {
        MixTask task = Tasks.mixTask(namespace, name);
        task.getMetadata().setUid(UUID.randomUUID().toString());
        cache.put(ResourceID.fromResource(task), task);
        return task;
    }

    /** As a reconcile of a task with a silent worker ends. */
    private void reconciled(MixTask task) {
        silence.unanswered(task.getMetadata().getUid(), now);
        memory.forgetIfGone(task, id -> Optional.ofNullable(cache.get(id)));
    }
}
