package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's interrupt callback with a deadline: every blocking network call (connect, read, write)
 * polls it, so a silent peer can never hang a thread (an RTMP pull without one waits forever once
 * its publisher leaves), and stopping the engine breaks out of a blocked read at once.
 * Callers {@link #arm(long)} a deadline before each blocking call.
 */
public final class Interrupter implements AutoCloseable {
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean stopped;
    private volatile boolean expired;
    // Keep a strong reference: native code calls into this object for as long as the context lives.
    private final AVIOInterruptCB.Callback_Pointer callback = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            if (stopped) {
                return 1;
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                expired = true;
                return 1;
            }
            return 0;
        }
    };

    /** The next blocking call must finish within {@code timeoutMillis}. */
    public void arm(long timeoutMillis) {
        expired = false;
        deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return stopped;
    }

    /** True when the last failure came from the deadline rather than from the peer. */
    public boolean expired() {
        return expired;
    }

    public void install(AVIOInterruptCB cb) {
        cb.callback(callback);
        cb.opaque(null);
    }

    @Override
    public void close() {
        callback.close();
    }
}
