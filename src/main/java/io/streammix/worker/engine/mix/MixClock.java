package io.streammix.worker.engine.mix;

import io.streammix.worker.engine.scene.MixPlan;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The output clock: one thread that, on the mix timeline, draws a canvas every 1/fps seconds and mixes
 * audio in {@link #CHUNK}-sample chunks, reading the current {@link MixPlan} once per tick, and hands both
 * to every output. Video tick k has pts k; audio chunk j starts at sample j * CHUNK: both count from the
 * same instant, so the outputs are in sync by construction.
 */
public final class MixClock implements Runnable {
    private static final Logger LOG = Logger.getLogger(MixClock.class);
    public static final int CHUNK = 1024;
    /** Ticks further behind than this are skipped rather than rendered late (CPU starvation). */
    private static final double MAX_BEHIND = 1.0;

    private final Timeline timeline;
    private final Supplier<MixPlan> plan;
    private final Supplier<Map<String, InputSlot>> slots;
    private final Supplier<? extends List<? extends MixSink>> outputs;
    /** Told (on this thread) the mix time of the first tick drawn with each new plan revision; must be cheap. */
    private final PlanDrawn drawn;
    /** The plan this thread draws with, held so that its pictures stay while it draws them. */
    private MixPlan current;
    private final Compositor compositor = new Compositor();
    private final AudioMixer mixer = new AudioMixer();
    private volatile boolean stopped;
    private volatile long videoTicks;
    private volatile long skippedTicks;
    /** Summed over rendered ticks: how long after its time each one was rendered (one writer: this thread). */
    private volatile double tickLateness;
    private Thread thread;
    private int fps;
    private long tick;
    /** The next audio chunk to mix. */
    private long chunk;
    private double tickBase;

    /** Hears the first tick drawn with a plan. */
    public interface PlanDrawn {
        void first(MixPlan plan, double time);
    }

    public MixClock(Timeline timeline, Supplier<MixPlan> plan, Supplier<Map<String, InputSlot>> slots,
             Supplier<? extends List<? extends MixSink>> outputs, PlanDrawn drawn) {
        this.drawn = drawn;
        this.timeline = timeline;
        this.plan = plan;
        this.slots = slots;
        this.outputs = outputs;
    }

    public void start() {
        thread = new Thread(this, "mix-clock");
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    public void stop() throws InterruptedException {
        stopped = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            thread.join(5000);
        }
    }

    public long videoTicks() {
        return videoTicks;
    }

    public long skippedTicks() {
        return skippedTicks;
    }

    public double tickLatenessSeconds() {
        return tickLateness;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                step();
            }
        } catch (RuntimeException e) {
            LOG.error("output clock failed", e);
        } finally {
            compositor.close();
            if (current != null) {
                current.hold().release();
                current = null;
            }
        }
    }

    /**
     * Draws the ticks and mixes the chunks that are due, then sleeps until the next one. A method of its own, not the
     * body of {@link #run}'s loop: the JIT compiles a method after a few hundred calls, whereas a loop entered once runs
     * interpreted until its on-stack-replacement threshold (60 000 back-edges with the worker's C1-only JVM: minutes of a
     * live mix; see docs/architecture.md, "CPU against the ffmpeg CLI").
     */
    private void step() {
        double now = timeline.now();
        MixPlan p = current();
        if (p.hasVideo()) {
            if (p.fps() != fps) {
                // Ticks stay on the grid k / fps of the mix timeline, which inputs align their pictures to.
                fps = p.fps();
                tickBase = Math.ceil(now * fps) / fps;
                tick = 0;
            }
            while (tickBase + tick / (double) fps <= now) {
                double t = tickBase + tick / (double) fps;
                if (now - t > MAX_BEHIND) {
                    skippedTicks++;
                } else {
                    draw(p, t);
                }
                tick++;
            }
        }
        while ((chunk + 1) * CHUNK / (double) AudioRing.RATE <= now) {
            long pos = chunk * CHUNK;
            short[] mixed = mixer.mix(p, slots.get(), pos, CHUNK);
            for (MixSink o : outputs.get()) {
                o.offerAudio(mixed, pos, CHUNK);
            }
            chunk++;
        }
        double nextVideo = p.hasVideo() ? tickBase + tick / (double) fps : Double.MAX_VALUE;
        double nextAudio = (chunk + 1) * CHUNK / (double) AudioRing.RATE;
        double wait = Math.min(nextVideo, nextAudio) - timeline.now();
        if (wait > 0) {
            LockSupport.parkNanos((long) (wait * 1e9) + 200_000);
        }
    }

    /** Composes tick {@code t} and hands it to every output. */
    private void draw(MixPlan p, double t) {
        AVFrame canvas = compositor.compose(p, slots.get(), t, 0.5 / fps);
        Canvases all = new Canvases(canvas, p.rungs(), compositor.composeRungs(p));
        if (p.revision() != drawnRevision) {
            drawnRevision = p.revision();
            drawn.first(p, t);
        }
        try {
            for (MixSink o : outputs.get()) {
                o.offerVideo(all, t);
            }
        } finally {
            all.free();
        }
        videoTicks++;
        tickLateness += timeline.now() - t;
    }

    private long drawnRevision = -1;

    /**
     * The installed plan, held by this thread: the engine releases a plan when it replaces it, so a plan replaced
     * between reading and holding it is skipped for the newer one.
     */
    private MixPlan current() {
        for (MixPlan p = plan.get(); p != current; p = plan.get()) {
            if (p.hold().tryAcquire()) {
                if (current != null) {
                    current.hold().release();
                }
                current = p;
                break;
            }
        }
        return current;
    }

    /** Rung canvases drawn from the inputs so far (RungCanvases); for tests and benchmarks. */
    long rungsDrawn() {
        return compositor.rungsDrawn();
    }

    /** Pictures the clock scaled to a new layout so far, and the time that took (ns); for tests and benchmarks. */
    long[] rescaled() {
        return compositor.rescaled();
    }
}
