package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FFmpeg's interrupt callback with a deadline: every blocking network call (connect, read, write)
 * polls it, so a silent peer can never hang a thread (an RTMP pull without one waits forever once
 * its publisher leaves), and stopping the engine breaks out of a blocked read at once.
 * Callers {@link #arm(long)} a deadline before each blocking call.
 *
 * <p>There is one native callback for the whole process, and each interrupter is told apart by the {@code opaque}
 * pointer FFmpeg hands back (a byte of native memory of its own). JavaCPP makes at most 10 native trampolines per
 * callback class (its {@code @Allocator} default): with a callback object per interrupter, the 11th live one reached
 * FFmpeg as a NULL function, which FFmpeg reads as "never interrupt", so a mix with more than ten inputs and outputs
 * (or a test JVM that ran many) had threads that no deadline and no stop could break out of.
 */
public final class Interrupter implements AutoCloseable {
    private static final Map<Long, Interrupter> LIVE = new ConcurrentHashMap<>();
    // One instance for the process: never closed, so FFmpeg never calls a freed trampoline.
    private static final AVIOInterruptCB.Callback_Pointer CALLBACK = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            Interrupter i = opaque == null ? null : LIVE.get(opaque.address());
            return i != null && i.due() ? 1 : 0;
        }
    };

    /** Its address identifies this interrupter to the shared callback. */
    private final BytePointer token = new BytePointer(1);
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean stopped;
    private volatile boolean expired;

    public Interrupter() {
        LIVE.put(token.address(), this);
    }

    private boolean due() {
        if (stopped) {
            return true;
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            expired = true;
            return true;
        }
        return false;
    }

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
        cb.callback(CALLBACK);
        cb.opaque(token);
    }

    /** Forgets this interrupter: a context still installed with it is no longer interrupted (close it first). */
    @Override
    public void close() {
        LIVE.remove(token.address());
        token.close();
    }
}
