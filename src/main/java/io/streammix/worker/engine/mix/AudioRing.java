package io.streammix.worker.engine.mix;

/**
 * One input's audio on the mix timeline: 48 kHz stereo samples written at their sample time by the input
 * thread and taken (then cleared) by the output clock. Samples that arrive after their time has been mixed
 * are dropped; gaps read as silence. Writes that land within {@link #SNAP} of where the previous write ended
 * are appended exactly there, so timestamp jitter never produces clicks.
 */
public final class AudioRing {
    public static final int RATE = 48_000;
    public static final int CHANNELS = 2;
    private static final int SNAP = RATE / 25; // 40 ms
    private final short[] buf;
    private final int capacity; // in sample frames
    private long readPos;       // next sample time the mixer takes
    private long writeEnd = Long.MIN_VALUE;

    AudioRing(int seconds) {
        capacity = RATE * seconds;
        buf = new short[capacity * CHANNELS];
    }

    /** Writes {@code frames} stereo frames from {@code src} meant to play at sample time {@code pos}. */
    public synchronized void write(long pos, short[] src, int frames) {
        if (writeEnd != Long.MIN_VALUE && Math.abs(pos - writeEnd) <= SNAP) {
            pos = writeEnd;
        }
        writeEnd = pos + frames;
        for (int i = 0; i < frames; i++) {
            long t = pos + i;
            if (t < readPos || t >= readPos + capacity) {
                continue;
            }
            int slot = (int) (t % capacity) * CHANNELS;
            buf[slot] = src[i * CHANNELS];
            buf[slot + 1] = src[i * CHANNELS + 1];
        }
    }

    /** Copies samples [pos, pos + frames) into {@code dst} (silence where nothing was written) and clears them. */
    synchronized void take(long pos, short[] dst, int frames) {
        if (pos > readPos + capacity) {
            java.util.Arrays.fill(buf, (short) 0);
        } else {
            for (long t = readPos; t < pos; t++) {
                int slot = (int) (t % capacity) * CHANNELS;
                buf[slot] = 0;
                buf[slot + 1] = 0;
            }
        }
        for (int i = 0; i < frames; i++) {
            int slot = (int) ((pos + i) % capacity) * CHANNELS;
            dst[i * CHANNELS] = buf[slot];
            dst[i * CHANNELS + 1] = buf[slot + 1];
            buf[slot] = 0;
            buf[slot + 1] = 0;
        }
        readPos = pos + frames;
    }

    /** The next write starts a new run at its own time (the input's timeline was re-anchored): no snapping. */
    public synchronized void discontinuity() {
        writeEnd = Long.MIN_VALUE;
    }

    /** Forget everything written (input lost or reconnected): the next write starts a new run. */
    synchronized void reset() {
        java.util.Arrays.fill(buf, (short) 0);
        writeEnd = Long.MIN_VALUE;
    }
}
