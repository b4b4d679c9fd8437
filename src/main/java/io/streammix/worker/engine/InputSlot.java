package io.streammix.worker.engine;

import io.streammix.worker.control.WorkerReport;
import io.streammix.worker.media.Frames;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * What an input thread hands to the output clock: scaled pictures stamped with their time on the mix
 * timeline, audio in an {@link AudioRing}, and the input's state for status. The input thread only adds;
 * the clock takes pictures out and frees them, so a frame is never freed while it is drawn.
 */
final class InputSlot {
    private static final int MAX_QUEUED = 32;

    /** A picture scaled for the rect it was made for; {@code time} in seconds on the mix timeline. */
    record Picture(AVFrame frame, double time, int rectWidth, int rectHeight, int dx, int dy) {
    }

    final String name;
    final AudioRing audio = new AudioRing(3);
    private final ArrayDeque<Picture> pictures = new ArrayDeque<>();
    private volatile String state = WorkerReport.Input.CONNECTING;
    private volatile String reason;
    private volatile Instant since = Instant.now();
    private volatile boolean live;
    private volatile int level;
    private final long[] frameTimes = new long[64];
    private int frameCount;

    InputSlot(String name) {
        this.name = name;
    }

    synchronized void offer(Picture p) {
        while (pictures.size() >= MAX_QUEUED) {
            Frames.free(pictures.pollFirst().frame());
        }
        pictures.addLast(p);
        frameTimes[frameCount++ % frameTimes.length] = System.nanoTime();
    }

    /** Removes and returns the newest picture due at {@code time} (older due ones are freed), or null. */
    synchronized Picture takeDue(double time) {
        Picture due = null;
        while (!pictures.isEmpty() && pictures.peekFirst().time() <= time) {
            if (due != null) {
                Frames.free(due.frame());
            }
            due = pictures.pollFirst();
        }
        return due;
    }

    synchronized void clearPictures() {
        pictures.forEach(p -> Frames.free(p.frame()));
        pictures.clear();
    }

    void connecting() {
        set(WorkerReport.Input.CONNECTING, null, false);
    }

    void live() {
        set(WorkerReport.Input.LIVE, null, true);
    }

    void lost(String why) {
        set(WorkerReport.Input.LOST, why, false);
        clearPictures();
        audio.reset();
    }

    private void set(String s, String why, boolean isLive) {
        if (!s.equals(state) || !java.util.Objects.equals(why, reason)) {
            since = Instant.now();
        }
        state = s;
        reason = why;
        live = isLive;
    }

    boolean isLive() {
        return live;
    }

    void level(int l) {
        level = l;
    }

    int level() {
        return level;
    }

    /** Decoded pictures per second over the last few seconds. */
    synchronized Double fps() {
        int n = Math.min(frameCount, frameTimes.length);
        if (n < 2) {
            return null;
        }
        long newest = frameTimes[(frameCount - 1) % frameTimes.length];
        long oldest = frameTimes[(frameCount - n) % frameTimes.length];
        if (System.nanoTime() - newest > 2_000_000_000L || newest == oldest) {
            return 0.0;
        }
        return Math.round((n - 1) * 1e9 / (newest - oldest) * 10) / 10.0;
    }

    WorkerReport.Input report() {
        return new WorkerReport.Input(name, state, since.toString(), reason, live ? fps() : null);
    }

    String reason() {
        return reason;
    }

    String state() {
        return state;
    }
}
