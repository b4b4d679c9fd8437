package io.streammix.worker.engine.mix;

/** The mix timeline: seconds since the engine started mixing, on the monotonic clock. Output pts count from 0 here. */
public final class Timeline {
    private final long startNanos = System.nanoTime();

    public double now() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public long startNanos() {
        return startNanos;
    }
}
