package io.streammix.worker.engine.output;

/** The bitrate an output really writes, measured every two seconds from its byte count (output thread writes, any thread reads). */
final class MeasuredBitrate {
    private volatile long bitrate;
    private volatile boolean measured;
    private long bytesBefore;
    /** When the figure was last measured (System.nanoTime). */
    private long last = System.nanoTime();

    void start(long now) {
        last = now;
    }

    /** Measures again when two seconds have passed since the last time. */
    void update(long bytes, long now) {
        if (now - last > 2_000_000_000L) {
            bitrate = (bytes - bytesBefore) * 8 * 1_000_000_000L / (now - last);
            measured = true;
            bytesBefore = bytes;
            last = now;
        }
    }

    /** Bits per second (0 before the first measurement). */
    long value() {
        return bitrate;
    }

    /** The figure, or null before the first measurement. */
    Long measured() {
        return measured ? bitrate : null;
    }
}
