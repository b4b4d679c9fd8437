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
 * Entries are keyed by task uid; a deleted task's entry goes when the map outgrows
 * any plausible number of tasks.
 */
public final class WorkerSilence {
    private static final int MAX_ENTRIES = 20_000;
    private final Map<String, Instant> since = new ConcurrentHashMap<>();

    /** The worker answered: its silence, if any, is over. */
    public Duration answered(String uid) {
        since.remove(uid);
        return Duration.ZERO;
    }

    /** The worker did not answer at {@code now}: how long it has been silent, counted from the first unanswered call. */
    public Duration unanswered(String uid, Instant now) {
        if (since.size() > MAX_ENTRIES) {
            since.clear();
        }
        Instant first = since.computeIfAbsent(uid, k -> now);
        return Duration.between(first, now);
    }
}
