package io.streammix.worker.engine.input;

import io.streammix.worker.engine.mix.AudioRing;
import io.streammix.worker.engine.mix.InputSlot;
import io.streammix.worker.engine.mix.Timeline;
import io.streammix.worker.engine.retry.RetrySchedule;
import io.streammix.worker.engine.scene.InputLayout;
import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.engine.scene.StillImages;
import io.streammix.worker.engine.source.InputSource;
import io.streammix.worker.media.Av;
import io.streammix.worker.media.Decoder;
import io.streammix.worker.media.Demuxer;
import io.streammix.worker.media.FilterGraphSource;
import io.streammix.worker.media.FramePool;
import io.streammix.worker.media.Frames;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.MediaException;
import io.streammix.worker.media.Scaler;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.jboss.logging.Logger;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;

/**
 * Pulls one input on its own thread: connect, demux, decode, put each frame on the mix timeline, scale
 * pictures to the input's rect, resample audio to 48 kHz stereo, and hand both to the {@link InputSlot}.
 * Failures become the slot's state (Lost, with the retry schedule for status); network inputs reconnect on a short
 * schedule ({@link #FIRST_RETRY_MS} doubling to {@link #MAX_RETRY_MS}), files loop or end. What the rect shows meanwhile is the clock's business
 * ({@link Compositor}, from the input's onLoss).
 *
 * <p>Timing: the first frame after a (re)connect fixes the input's offset (its pts + offset = mix time),
 * one offset for audio and video so their sync survives, placed {@link Timeline#JITTER} seconds ahead of now. Frames
 * are released no earlier than {@code JITTER} before their time, which paces files and synthetic sources
 * to real time and smooths bursts from network sources.
 */
public final class InputWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger(InputWorker.class);
    private static final double MAX_LATE = 0.5;
    private static final double MAX_EARLY = 3.0;
    /** At most this much probed backlog is skipped through (a longer probe is not a live backlog). */
    private static final double MAX_BACKLOG = 3.0;
    /**
     * Live inputs come back fast: a publisher that reconnects is usually back within a second, so the first retry is
     * after 250 ms and the delay doubles up to 2 s (a retry of an absent RTMP or SRT peer costs one refused
     * connection); a returning publisher is picked up within about 2 s. Outputs keep {@link RetrySchedule#standard()}.
     */
    public static final long FIRST_RETRY_MS = 250;
    public static final long MAX_RETRY_MS = 2_000;
    private final RetrySchedule retry = new RetrySchedule(FIRST_RETRY_MS, MAX_RETRY_MS);

    private final InputSlot slot;
    private final InputSource source;
    private final Supplier<MixPlan> plan;
    private final Timeline timeline;
    private final Interrupter interrupter = new Interrupter();
    private final Scaler scaler = new Scaler();
    /** Buffers of the scaled pictures, recycled: one per frame otherwise (see FramePool). */
    private final FramePool scaled = new FramePool();
    private final RungPictures rungs = new RungPictures();
    private volatile boolean stopped;
    private volatile Thread thread;
    /** The current session delivered media (so its loss starts the retry schedule afresh). */
    private boolean sessionWasLive;

    private double offset = Double.NaN;
    /** Seconds of media a live source's probe buffered (see {@link Demuxer#probeSeconds()}); 0 for files. */
    private double backlog;
    /** Frames before this pts were buffered while probing: late by design, skipped through rather than re-anchored on. */
    private double catchUpPts = Double.NaN;
    private double lastEnd = Double.NaN;
    private boolean rebase;
    private final MixAudioConverter audio = new MixAudioConverter();

    public InputWorker(InputSlot slot, InputSource source, Supplier<MixPlan> plan, Timeline timeline) {
        this.slot = slot;
        this.source = source;
        this.plan = plan;
        this.timeline = timeline;
    }

    public void start() {
        thread = new Thread(this, "input-" + slot.name);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        stopped = true;
        interrupter.stop();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    public void join(long millis) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(millis);
        }
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                // A lost input stays Lost, with its reason, while it retries: Connecting is for the first attempt.
                if (slot.isLost()) {
                    slot.attempt();
                } else {
                    slot.connecting();
                }
                long began = System.nanoTime();
                boolean ended;
                try {
                    ended = session();
                } catch (RuntimeException e) {
                    if (stopped) {
                        break;
                    }
                    String before = slot.reason();
                    slot.lost(e.getMessage(), timeline.now());
                    if (!e.getMessage().equals(before)) {
                        // Once per new reason: a source that stays away does not flood the log at every retry.
                        LOG.warnf("input %s (%s) lost: %s; retrying", slot.name, source.safeName(), e.getMessage());
                    }
                    ended = false;
                }
                if (ended) {
                    slot.lost("end of file", timeline.now());
                    return;
                }
                if (sessionWasLive || (System.nanoTime() - began) / 1_000_000 > 10_000) {
                    retry.reset(); // a stream that played: the next loss starts the schedule again from its fast end
                }
                sessionWasLive = false;
                retry.failed();
                slot.nextAttempt(retry.nextAttemptAt());
                retry.awaitDue(() -> stopped);
            }
        } finally {
            slot.clearPictures();
            scaler.close();
            scaled.close();
            rungs.close();
            audio.close();
            interrupter.close();
        }
    }

    /** One connection; returns true when a non-looping file reached its end. */
    private boolean session() {
        offset = Double.NaN;
        if (source.stillImage()) {
            showStill();
            return false;
        }
        if (source.graph()) {
            return graphSession();
        }
        try (Demuxer d = Demuxer.open(source.url(), source.format(), source.options(), interrupter,
                InputSource.CONNECT_TIMEOUT_MS, source.readTimeoutMillis(), slot.name)) {
            int vs = d.bestStream(AVMEDIA_TYPE_VIDEO);
            int as = d.bestStream(AVMEDIA_TYPE_AUDIO);
            if (vs < 0 && as < 0) {
                throw new MediaException(slot.name + ": no audio or video stream");
            }
            // The probe read a live source for this long: its buffered media would otherwise add that much latency for the
            // whole session (about 1.4 s measured on RTMP). The first frame is placed that far back and the clock skips
            // through the backlog instead.
            backlog = source.network() ? Math.min(d.probeSeconds(), MAX_BACKLOG) : 0;
            catchUpPts = Double.NaN;
            try (Decoder vdec = vs >= 0 ? new Decoder(d.stream(vs), slot.name) : null;
                 Decoder adec = as >= 0 ? new Decoder(d.stream(as), slot.name) : null) {
                return pump(d, vs, vdec, as, adec);
            }
        }
    }

    /** A synthetic source: a filter graph that never ends; {@link #toMixTime} paces its frames to real time. */
    private boolean graphSession() {
        try (FilterGraphSource g = FilterGraphSource.open(source.url(), slot.name)) {
            backlog = 0;
            catchUpPts = Double.NaN;
            return g.pump(() -> stopped, this::onVideo, this::onAudio, slot.name);
        }
    }

    private boolean pump(Demuxer d, int vs, Decoder vdec, int as, Decoder adec) {
        AVPacket pkt = av_packet_alloc();
        try {
            while (!stopped) {
                if (!d.read(pkt, slot.name)) {
                    if (source.loop()) {
                        d.rewind(slot.name);
                        if (vdec != null) {
                            vdec.flush();
                        }
                        if (adec != null) {
                            adec.flush();
                        }
                        rebase = true;
                        continue;
                    }
                    if (source.network()) {
                        throw new MediaException(slot.name + ": the stream ended");
                    }
                    return true;
                }
                take(pkt, vs, vdec, as, adec);
            }
            return false;
        } finally {
            av_packet_free(pkt);
        }
    }

    /** Decodes one packet and unreferences it: a method of its own so that the JIT compiles it (see MixClock.step). */
    private void take(AVPacket pkt, int vs, Decoder vdec, int as, Decoder adec) {
        try {
            if (pkt.stream_index() == vs) {
                decode(vdec, pkt, f -> onVideo(f, vdec.timeBase()));
            } else if (pkt.stream_index() == as) {
                decode(adec, pkt, f -> onAudio(f, adec.timeBase()));
            }
        } finally {
            av_packet_unref(pkt);
        }
    }

    private void decode(Decoder dec, AVPacket pkt, java.util.function.Consumer<AVFrame> sink) {
        long refused = dec.refused();
        dec.decode(pkt, sink, slot.name);
        slot.decodeErrors(dec.refused() - refused);
    }

    /** Maps a pts (seconds) to mix time, (re)anchoring the offset when needed, and waits until it is due. */
    private double toMixTime(double pts, double duration) {
        double now = timeline.now();
        if (Double.isNaN(offset)) {
            offset = anchor(now - backlog) - pts;
            catchUpPts = pts + backlog;
        } else if (rebase) {
            // Looped file: continue right after the last frame of the previous pass.
            offset = Math.max(lastEnd, now) - pts;
            rebase = false;
        }
        double t = pts + offset;
        boolean catchingUp = pts < catchUpPts;
        if ((t < now - MAX_LATE && !catchingUp) || t > now + MAX_EARLY) {
            LOG.infof("input %s: timestamps jumped (%.3f s off the clock); re-anchoring", slot.name, t - now);
            offset = anchor(now) - pts;
            slot.audio.discontinuity();
            t = pts + offset;
        }
        lastEnd = Double.isNaN(lastEnd) ? t + duration : Math.max(lastEnd, t + duration);
        while (!stopped && t - Timeline.JITTER > timeline.now()) {
            LockSupport.parkNanos((long) (Math.min(0.05, t - Timeline.JITTER - timeline.now()) * 1e9));
        }
        slot.reached(t);
        return t;
    }

    /**
     * Where an input's first frame lands: {@link Timeline#JITTER} ahead, rounded up to the output's tick grid (k / fps), so
     * that an input at the output rate (or a divisor of it) has its pictures exactly on ticks and picture sampling
     * adds no A/V error.
     */
    private double anchor(double now) {
        int fps = plan.get().fps();
        double t = now + Timeline.JITTER;
        return fps > 0 ? Math.ceil(t * fps) / fps : t;
    }

    private static double pts(AVFrame f, AVRational timeBase) {
        long ts = f.best_effort_timestamp();
        if (ts == AV_NOPTS_VALUE) {
            ts = f.pts();
        }
        return ts == AV_NOPTS_VALUE ? Double.NaN : Av.seconds(ts, timeBase);
    }

    private double lastVideoPts = Double.NaN;

    private void onVideo(AVFrame f, AVRational timeBase) {
        double pts = pts(f, timeBase);
        if (Double.isNaN(pts)) {
            pts = Double.isNaN(lastVideoPts) ? 0 : lastVideoPts + 1 / 30.0;
        }
        lastVideoPts = pts;
        slot.frameDecoded();
        double t = toMixTime(pts, 1 / 30.0);
        goLive();
        publish(f, t);
    }

    private void publish(AVFrame f, double t) {
        MixPlan p = plan.get();
        InputLayout layout = p.input(slot.name);
        if (layout == null || !p.hasVideo()) {
            return;
        }
        if (!layout.content().hasVideo()) {
            // Not drawn now: the decoder's picture by reference (no copy, no scaling), so that when the content turns
            // back to video the clock has a current picture to scale for the first frame of that plan.
            slot.offer(new InputSlot.Picture(av_frame_clone(f), t, InputSlot.Made.unscaled(f.width(), f.height())));
            return;
        }
        int srcW = f.width();
        int srcH = f.height(); // before scaling: it crops f
        InputLayout.Placement pl = layout.place(srcW, srcH);
        AVFrame[] forRungs = rungs.make(f, p, layout, pl); // before scaling: it crops f
        AVFrame out;
        if (f.format() == AV_PIX_FMT_YUV420P && pl.width() == f.width() && pl.height() == f.height()
                && pl.cropW() == f.width() && pl.cropH() == f.height()) {
            // Already the rect's size and format: pass the decoder's picture on by reference, no copy.
            out = av_frame_clone(f);
        } else {
            out = scaled.get(pl.width(), pl.height(), AV_PIX_FMT_YUV420P);
            try {
                scaler.scale(f, pl.cropX(), pl.cropY(), pl.cropW(), pl.cropH(), out);
            } catch (RuntimeException e) {
                Frames.free(out);
                new InputSlot.Picture(null, t, null, p.rungs(), forRungs).free();
                throw e;
            }
        }
        slot.offer(new InputSlot.Picture(out, t, InputSlot.Made.of(layout, pl, srcW, srcH), p.rungs(), forRungs));
    }

    private void onAudio(AVFrame f, AVRational timeBase) {
        int n = f.nb_samples();
        double pts = pts(f, timeBase);
        if (Double.isNaN(pts) || n <= 0) {
            return;
        }
        int got = audio.convert(f);
        double t = toMixTime(pts, n / (double) f.sample_rate());
        goLive();
        slot.audio.write(Math.round(t * AudioRing.RATE), audio.samples(), got);
    }

    private void goLive() {
        sessionWasLive = true;
        if (!slot.isLive()) {
            slot.live();
            LOG.infof("input %s (%s) live", slot.name, source.safeName());
        }
    }

    /** A still image: decode once, then redraw only when its rect changes. */
    private void showStill() {
        AVFrame still = StillImages.decode(source.url(), slot.name);
        try {
            slot.still(true);
            slot.frameDecoded();
            slot.live();
            InputLayout shown = null;
            while (!stopped) {
                MixPlan p = plan.get();
                InputLayout l = p.input(slot.name);
                if (l != null && !l.equals(shown)) {
                    // Scaling crops the frame it is given: give it a new reference each time.
                    AVFrame ref = org.bytedeco.ffmpeg.global.avutil.av_frame_clone(still);
                    try {
                        publish(ref, -1);
                    } finally {
                        Frames.free(ref);
                    }
                    shown = l;
                }
                sleepMillis(100);
            }
        } finally {
            Frames.free(still);
        }
    }

    private void sleepMillis(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        while (!stopped && System.nanoTime() < end) {
            LockSupport.parkNanos(Math.min(end - System.nanoTime(), 100_000_000));
        }
    }
}
