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
        // Only what lies within [readPos, readPos + capacity) is kept: earlier samples were already mixed.
        long from = Math.max(pos, readPos);
        long to = Math.min(pos + frames, readPos + capacity);
        if (from < to) {
            int at = (int) (from - pos) * CHANNELS;
            forEachRun(from, to, (slot, n) -> System.arraycopy(src, at + (int) (slot.start() - from) * CHANNELS, buf,
                    slot.index(), n * CHANNELS));
        }
    }

    /** Copies samples [pos, pos + frames) into {@code dst} (silence where nothing was written) and clears them. */
    synchronized void take(long pos, short[] dst, int frames) {
        if (pos > readPos + capacity) {
            java.util.Arrays.fill(buf, (short) 0);
        } else if (readPos < pos) {
            clear(readPos, pos); // skipped over: never mixed, must not play a lap later
        }
        forEachRun(pos, pos + frames, (slot, n) -> System.arraycopy(buf, slot.index(), dst,
                (int) (slot.start() - pos) * CHANNELS, n * CHANNELS));
        clear(pos, pos + frames);
        readPos = pos + frames;
    }

    private void clear(long from, long to) {
        forEachRun(from, to, (slot, n) -> java.util.Arrays.fill(buf, slot.index(), slot.index() + n * CHANNELS, (short) 0));
    }

    /** Where a run of samples starts: its sample time and its index in {@code buf}. */
    private record Slot(long start, int index) {
    }

    private interface Run {
        void apply(Slot slot, int frames);
    }

    /**
     * Sample times [from, to) (at most one capacity) as the one or two contiguous runs they occupy in {@code buf}
     * (split where the ring wraps): whole-array copies instead of a division and two stores per sample.
     */
    private void forEachRun(long from, long to, Run run) {
        long t = from;
        while (t < to) {
            int index = (int) (t % capacity);
            int n = (int) Math.min(to - t, capacity - index);
            run.apply(new Slot(t, index * CHANNELS), n);
            t += n;
        }
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
