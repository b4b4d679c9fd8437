package io.streammix.worker.engine.mix;

/** The mix timeline: seconds since the engine started mixing, on the monotonic clock. Output pts count from 0 here. */
public final class Timeline {
    /**
     * How far ahead of the clock inputs place their frames (seconds): an input's pictures and samples are stamped this
     * much after now and released no earlier than this before their time, which absorbs network bursts and lets the
     * clock find every picture it draws already scaled.
     */
    public static final double JITTER = 0.2;

    private final long startNanos = System.nanoTime();

    public double now() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public long startNanos() {
        return startNanos;
    }
}
