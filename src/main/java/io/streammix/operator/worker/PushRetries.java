package io.streammix.operator.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed pushes of a spec to running workers, per task: when the next attempt is due (the wait doubles after
 * each failure) and when to give up and replace the worker. In memory only: after an operator restart a
 * failing push simply starts counting again, and the spec is never lost (it is in the task's Secret). Keyed by task
 * uid: a deleted task's entry goes with it ({@link #clear}, called when the task leaves the operator's cache).
 */
public final class PushRetries {
    /** @param generation the spec being pushed; failures of an older one do not count against it */
    public record Failures(long generation, int count, Instant nextAttempt, String lastError) {
    }

    private final Map<String, Failures> byTask = new ConcurrentHashMap<>();

    /** True when a push of {@code generation} may be tried now (no failure yet, or its backoff is over). */
    public boolean due(String task, long generation, Instant now) {
        Failures f = byTask.get(task);
        return f == null || f.generation() != generation || !now.isBefore(f.nextAttempt());
    }

    public Optional<Failures> of(String task, long generation) {
        return Optional.ofNullable(byTask.get(task)).filter(f -> f.generation() == generation);
    }

    /** Records a failure; the next attempt waits {@code backoff} * 2^(failures - 1). */
    public Failures failed(String task, long generation, String error, Instant now, Duration backoff) {
        return byTask.compute(task, (k, f) -> {
            int count = f == null || f.generation() != generation ? 1 : f.count() + 1;
            Duration wait = backoff.multipliedBy(1L << Math.min(count - 1, 10));
            return new Failures(generation, count, now.plus(wait), error);
        });
    }

    public void clear(String task) {
        byTask.remove(task);
    }

    /** Tasks with a failing push now (for tests: it must not keep deleted tasks). */
    public int size() {
        return byTask.size();
    }
}
