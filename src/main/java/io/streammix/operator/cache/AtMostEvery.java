package io.streammix.operator.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets a walk over every task run at most once per interval, however many reconciles ask: a walk done after each
 * reconcile costs the number of tasks per reconcile, i.e. grows with the square of the tasks per refresh interval.
 * Of several threads asking at once, one gets the walk; the others go on without waiting.
 */
public final class AtMostEvery {
    private final Duration interval;
    private final Clock clock;
    private final AtomicReference<Instant> next;
    private final AtomicInteger granted = new AtomicInteger();

    public AtMostEvery(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
        this.next = new AtomicReference<>(clock.instant());
    }

    /** True (to one caller) when the interval has passed since the last true; the next one is an interval later. */
    public boolean due() {
        Instant now = clock.instant();
        Instant at = next.get();
        if (now.isBefore(at) || !next.compareAndSet(at, now.plus(interval))) {
            return false;
        }
        granted.incrementAndGet();
        return true;
    }

    /** How many times {@link #due} said yes (for tests). */
    public int granted() {
        return granted.get();
    }
}
