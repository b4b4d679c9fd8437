package io.streammix.operator.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each task's worker has gone without answering its status call. A mixing worker that
 * misses a call or two (a busy node, a slow network, a GC pause) is still mixing; only a silence
 * longer than the configured grace makes the task Degraded (see StatusBuilder). Kept in memory: after
 * an operator restart a silence starts counting again, which delays the Degraded verdict at most once.
 * Entries are keyed by task uid; a deleted task's entry goes with it ({@link #forget}, called when the task leaves the
 * operator's cache).
 */
public final class WorkerSilence {
    private final Map<String, Instant> since = new ConcurrentHashMap<>();

    /** The worker answered: its silence, if any, is over. */
    public Duration answered(String uid) {
        since.remove(uid);
        return Duration.ZERO;
    }

    /** The worker did not answer at {@code now}: how long it has been silent, counted from the first unanswered call. */
    public Duration unanswered(String uid, Instant now) {
        Instant first = since.computeIfAbsent(uid, k -> now);
        return Duration.between(first, now);
    }

    /** The task is deleted: nothing more to count. */
    public void forget(String uid) {
        since.remove(uid);
    }

    /** Tasks whose worker is silent now (for tests: it must not keep deleted tasks). */
    public int size() {
        return since.size();
    }
}
