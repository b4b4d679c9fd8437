package io.streammix.worker.engine.mix;

import io.streammix.api.v1alpha1.RenderMode;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.scene.InputLayout;
import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.engine.status.InputFigures;
import io.streammix.worker.media.Frames;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * What an input thread hands to the output clock: scaled pictures stamped with their time on the mix
 * timeline, audio in an {@link AudioRing}, and the input's state for status. The input thread only adds;
 * the clock takes pictures out and frees them, so a frame is never freed while it is drawn.
 */
public final class InputSlot {
    private static final int MAX_QUEUED = 32;

    /**
     * A picture and what it was made for; {@code time} in seconds on the mix timeline. {@code rungs}, when not null,
     * holds the same picture made for each of the plan's {@link MixPlan.Rung rungs} {@code rungSizes} (an entry may
     * be null), scaled from the source (see {@link RungCanvases}); the picture owns them all: free it with {@link #free}.
     */
    public record Picture(AVFrame frame, double time, Made made, List<MixPlan.Rung> rungSizes, AVFrame[] rungs) {
        public Picture(AVFrame frame, double time, Made made) {
            this(frame, time, made, List.of(), null);
        }

        /** The picture made for {@code rung}, or null. */
        AVFrame rung(MixPlan.Rung rung) {
            int i = rungs == null ? -1 : rungSizes.indexOf(rung);
            return i < 0 ? null : rungs[i];
        }

        /** Frees the picture and those made for the rungs. */
        public void free() {
            Frames.free(frame);
            if (rungs != null) {
                for (AVFrame r : rungs) {
                    Frames.free(r);
                }
            }
        }

        public int dx() {
            return made.dx();
        }

        public int dy() {
            return made.dy();
        }
    }

    /**
     * What a picture was scaled for, so that the clock can tell whether it fits the current layout and, if not, scale
     * it again without the source ({@link Rescaler}).
     *
     * @param rectWidth,rectHeight,mode the rect and render mode it was made for; 0 x 0 for an unscaled source picture
     * @param dx,dy                      its offset in the rect
     * @param srcWidth,srcHeight         size of the decoded source picture
     * @param winX,winY,winW,winH        the window of the source it shows
     */
    public record Made(int rectWidth, int rectHeight, RenderMode mode, int dx, int dy, int srcWidth, int srcHeight,
                int winX, int winY, int winW, int winH) {
        /** The decoder's picture itself, handed over by reference while the input is not drawn. */
        public static Made unscaled(int w, int h) {
            return new Made(0, 0, null, 0, 0, w, h, 0, 0, w, h);
        }

        public static Made of(InputLayout l, InputLayout.Placement pl, int srcWidth, int srcHeight) {
            return new Made(l.width(), l.height(), l.renderMode(), pl.dx(), pl.dy(), srcWidth, srcHeight,
                    pl.cropX(), pl.cropY(), pl.cropW(), pl.cropH());
        }

        public boolean fits(InputLayout l) {
            return rectWidth == l.width() && rectHeight == l.height() && mode == l.renderMode();
        }
    }

    public final String name;
    public final AudioRing audio = new AudioRing(3);
    private final ArrayDeque<Picture> pictures = new ArrayDeque<>();
    private volatile String state = WorkerReport.Input.CONNECTING;
    private volatile String reason;
    private volatile Instant since = Instant.now();
    private volatile boolean live;
    private volatile int level;
    private final long[] frameTimes = new long[64];
    private int frameCount;
    // Counters for the metrics (InputFigures). Each has one writer: the input thread, or the clock for
    // dropped/repeated; volatile so a scrape reads a recent value without a lock.
    private volatile long framesIn;
    private volatile long losses;
    private volatile long decodeErrors;
    private volatile long dropped;
    private volatile long repeated;
    /** A still image: drawn once per layout, so never counted as repeated. */
    private volatile boolean still;
    /** Mix time of the newest frame or audio handed over; NaN before the first. */
    private volatile double newestTime = Double.NaN;
    /** Mix time of the newest picture handed over (the one a lost input's rect holds); NaN before the first. */
    private volatile double newestPicture = Double.NaN;
    // The loss and its retries, for status; written by the input thread only.
    private volatile Instant lostSince;
    private volatile Instant nextAttemptAt;
    private volatile int attempts;
    /** Mix time from which the hold of a lost input counts (its last picture, or the loss if later); NaN: no hold. */
    private volatile double holdFrom = Double.NaN;

    public InputSlot(String name) {
        this.name = name;
    }

    public synchronized void offer(Picture p) {
        while (pictures.size() >= MAX_QUEUED) {
            pictures.pollFirst().free();
        }
        pictures.addLast(p);
        if (p.time() >= 0) {
            newestPicture = p.time();
        }
        frameTimes[frameCount++ % frameTimes.length] = System.nanoTime();
    }

    /** Removes and returns the newest picture due at {@code time} (older due ones are freed), or null. */
    synchronized Picture takeDue(double time) {
        Picture due = null;
        while (!pictures.isEmpty() && pictures.peekFirst().time() <= time) {
            if (due != null) {
                due.free();
                dropped++; // a newer picture was due by this tick: this one is never drawn
            }
            due = pictures.pollFirst();
        }
        return due;
    }

    public synchronized void clearPictures() {
        pictures.forEach(Picture::free);
        pictures.clear();
    }

    public void connecting() {
        set(WorkerReport.Input.CONNECTING, null, false);
    }

    public void live() {
        set(WorkerReport.Input.LIVE, null, true);
        lostSince = null;
        nextAttemptAt = null;
        attempts = 0;
        holdFrom = Double.NaN;
    }

    /** Lost for a reason known before any media (a refused URL): nothing to hold. */
    public void lost(String why) {
        lost(why, Double.NaN);
    }

    /**
     * The input stopped (or an attempt to bring it back failed). Its audio is silent from now on; its pictures stay
     * queued, for the clock to hold the last one as the task's onLoss says ({@link Compositor}).
     *
     * @param mixNow the mix clock, NaN when the input never had media
     */
    public void lost(String why, double mixNow) {
        if (!WorkerReport.Input.LOST.equals(state)) {
            losses++;
            lostSince = Instant.now();
            attempts = 0;
            // The rect freezes on the newest picture once it is shown; the hold counts from then (or from now, if later).
            holdFrom = Double.isNaN(mixNow) ? Double.NaN : Double.isNaN(newestPicture) ? mixNow : Math.max(mixNow, newestPicture);
        }
        set(WorkerReport.Input.LOST, why, false);
        audio.reset();
    }

    /** A reconnect attempt of a lost input starts now. */
    public void attempt() {
        attempts++;
    }

    /** The next reconnect attempt of a lost input starts at {@code at}. */
    public void nextAttempt(Instant at) {
        nextAttemptAt = at;
    }

    /**
     * True while a lost input's rect still holds its last picture at mix time {@code t}: {@code hold} seconds from its
     * last picture (or the loss, if later).
     */
    public boolean holding(double t, double hold) {
        double from = holdFrom;
        return WorkerReport.Input.LOST.equals(state) && !Double.isNaN(from) && t < from + hold;
    }

    /** True when the input is lost (not merely connecting for the first time). */
    public boolean isLost() {
        return WorkerReport.Input.LOST.equals(state);
    }

    private void set(String s, String why, boolean isLive) {
        if (!s.equals(state) || !java.util.Objects.equals(why, reason)) {
            since = Instant.now();
        }
        state = s;
        reason = why;
        live = isLive;
    }

    public boolean isLive() {
        return live;
    }

    public void level(int l) {
        level = l;
    }

    public int level() {
        return level;
    }

    /** A picture decoded (drawn or not): the input's frames in. */
    public void frameDecoded() {
        framesIn++;
    }

    /** Packets the decoder refused (corrupt data it skipped). */
    public void decodeErrors(long n) {
        decodeErrors += n;
    }

    public void still(boolean s) {
        still = s;
    }

    public boolean still() {
        return still;
    }

    /** The clock threw away a due picture made for a previous layout (it shows one scaled for the new one). */
    void discarded() {
        dropped++;
    }

    /** The clock drew this input's previous picture again: no new one was due. */
    void repeated() {
        repeated++;
    }

    /** Media up to mix time {@code t} has been handed over. */
    public void reached(double t) {
        if (Double.isNaN(newestTime) || t > newestTime) {
            newestTime = t;
        }
    }

    /**
     * @param now    the mix clock
     * @param jitter how far ahead of the clock frames are released ({@link Timeline#JITTER})
     */
    public InputFigures figures(double now, double jitter) {
        double newest = newestTime;
        // A frame is released at (its time - jitter): past that, the input is late by the difference.
        double lag = Double.isNaN(newest) ? Double.NaN : Math.max(0, now - (newest - jitter));
        return new InputFigures(name, state, framesIn, losses, lag, decodeErrors, dropped, repeated, level);
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

    public WorkerReport.Input report() {
        Instant lost = lostSince;
        boolean isLost = WorkerReport.Input.LOST.equals(state) && lost != null;
        Instant next = nextAttemptAt;
        return new WorkerReport.Input(name, state, since.toString(), reason, live ? fps() : null, isLost ? lost.toString() : null,
                isLost && next != null ? next.toString() : null, isLost ? attempts : null);
    }

    public String reason() {
        return reason;
    }

    public String state() {
        return state;
    }
}
