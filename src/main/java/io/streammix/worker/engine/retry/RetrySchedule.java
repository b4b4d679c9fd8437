package io.streammix.worker.engine.retry;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * When a lost connection is tried again: the one reconnect policy of inputs, outputs and bypass. A failure schedules
 * the next attempt {@code first} later, doubling after every further failure up to {@code max}; {@link #reset()} (a
 * connection that held) starts again from {@code first}. The schedule is written by the one thread that connects;
 * {@link #nextAttemptAt()} and {@link #attempts()} are read by status and metrics threads.
 */
public final class RetrySchedule {
    private final long firstMillis;
    private final long maxMillis;
    private long delayMillis;
    private long dueNanos;
    private volatile Instant nextAttemptAt;
    private volatile int attempts;

    public RetrySchedule(long firstMillis, long maxMillis) {
        if (firstMillis <= 0 || maxMillis < firstMillis) {
            throw new IllegalArgumentException("0 < first <= max, got " + firstMillis + ", " + maxMillis);
        }
        this.firstMillis = firstMillis;
        this.maxMillis = maxMillis;
        this.delayMillis = firstMillis;
    }

    /** 1 s doubling to 16 s. */
    public static RetrySchedule standard() {
        return new RetrySchedule(1000, 16_000);
    }

    /** A failed attempt: schedules the next one and returns how long until it, in milliseconds. */
    public long failed() {
        long d = delayMillis;
        dueNanos = System.nanoTime() + d * 1_000_000;
        nextAttemptAt = Instant.now().plusMillis(d);
        attempts++;
        delayMillis = Math.min(delayMillis * 2, maxMillis);
        return d;
    }

    /** The connection held: the next failure is retried after {@code first} again. */
    public void reset() {
        delayMillis = firstMillis;
        attempts = 0;
        nextAttemptAt = null;
    }

    /** Whether the scheduled attempt may be made now (true when none is scheduled). */
    public boolean due() {
        return nextAttemptAt == null || System.nanoTime() - dueNanos >= 0;
    }

    /** Parks until the scheduled attempt is due or {@code stopped} says to give up (checked every 100 ms). */
    public void awaitDue(BooleanSupplier stopped) {
        while (!stopped.getAsBoolean() && !due()) {
            LockSupport.parkNanos(Math.min(dueNanos - System.nanoTime(), 100_000_000));
        }
    }

    /** Wall-clock time of the next attempt, for status; null when none is scheduled. */
    public Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    /** Failed attempts since the last {@link #reset()}. */
    public int attempts() {
        return attempts;
    }
}
