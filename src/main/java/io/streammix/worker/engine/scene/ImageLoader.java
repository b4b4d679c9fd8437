package io.streammix.worker.engine.scene;

import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.validation.SpecValidator;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.worker.media.Frames;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.PictureTooLargeException;
import io.streammix.worker.media.Scaler;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVA420P;

/**
 * Fetches, decodes and scales background and watermark images on one daemon thread ({@code image-loader}), off the
 * control thread, the engine's lock and the output clock: a slow or hostile image never holds up an edit, the status
 * or a frame. The URL policy and {@code MediaLimits} checks of {@link StillImages#decode} apply as they are. Decoded
 * pictures go into the {@link StillImages} cache; {@code arrived} is then called (on the loader thread) so that the
 * engine swaps them into its plan. Until then a plan keeps showing what the previous plan showed.
 */
public final class ImageLoader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ImageLoader.class);
    /** Loads waiting beyond the running one; more are refused (the image is then reported not shown). */
    private static final int MAX_QUEUED = 8;

    public enum State { READY, PENDING, FAILED }

    /** One image the spec asks for: its field (for status), URL, and the size it is drawn at. */
    public record Request(String field, String url, int width, int height) {
        boolean watermark() {
            return field.startsWith("spec.watermark");
        }

        String key() {
            return (watermark() ? "wm|" : "bg|") + url + "|" + width + "x" + height;
        }
    }

    private final StillImages images;
    private final Runnable arrived;
    private final ThreadPoolExecutor exec;
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final Map<String, String> failed = new ConcurrentHashMap<>();
    /** Image URLs refused as over {@code MediaLimits}, with why (no URL in it). */
    private final Map<String, String> tooLarge = new ConcurrentHashMap<>();
    private final Interrupter interrupter = new Interrupter();
    private volatile boolean closed;

    public ImageLoader(StillImages images, Runnable arrived) {
        this.images = images;
        this.arrived = arrived;
        this.exec = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED), r -> {
            Thread t = new Thread(r, "image-loader");
            t.setDaemon(true);
            return t;
        });
    }

    StillImages images() {
        return images;
    }

    /** The images {@code spec} draws, at the sizes it draws them. */
    public static List<Request> requests(MixTaskSpec spec) {
        List<Request> r = new ArrayList<>();
        VideoEncoding canvas = SpecValidator.canvasOf(spec);
        if (canvas == null) {
            return r;
        }
        if (spec.background != null && spec.background.image != null) {
            r.add(new Request("spec.background.image", spec.background.image, (canvas.width + 1) & ~1, (canvas.height + 1) & ~1));
        }
        if (spec.watermark != null && spec.watermark.image != null && spec.watermark.rect != null) {
            r.add(new Request("spec.watermark.image", spec.watermark.image, spec.watermark.rect.width(), spec.watermark.rect.height()));
        }
        return r;
    }

    /** Starts loading what {@code spec} draws and is not cached yet; the futures complete when each is in or failed. */
    public List<CompletableFuture<Void>> request(MixTaskSpec spec) {
        List<CompletableFuture<Void>> f = new ArrayList<>();
        for (Request r : requests(spec)) {
            if (!images.contains(r.key())) {
                f.add(load(r));
            }
        }
        return f;
    }

    private CompletableFuture<Void> load(Request r) {
        CompletableFuture<Void> f = pending.computeIfAbsent(r.key(), k -> {
            failed.remove(k); // asked again: try again (a file may have been fixed)
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                exec.execute(() -> run(r, done));
            } catch (RejectedExecutionException e) {
                failed.put(k, closed ? "the mix is stopping" : "more than " + MAX_QUEUED + " images waiting to load");
                done.complete(null);
                return done; // removed from pending below
            }
            return done;
        });
        if (f.isDone()) {
            pending.remove(r.key(), f);
        }
        return f;
    }

    private void run(Request r, CompletableFuture<Void> done) {
        String name = r.watermark() ? "watermark image" : "background image";
        try {
            AVFrame img = StillImages.decode(r.url(), name, interrupter);
            AVFrame f = null;
            try (Scaler s = new Scaler()) {
                f = Frames.video(r.width(), r.height(), r.watermark() ? AV_PIX_FMT_YUVA420P : AV_PIX_FMT_YUV420P);
                s.scale(img, f);
                images.put(r.key(), f, r.watermark() ? new WatermarkBlend(f) : null);
            } catch (RuntimeException e) {
                Frames.free(f);
                throw e;
            } finally {
                Frames.free(img);
            }
        } catch (RuntimeException e) {
            if (e instanceof PictureTooLargeException) {
                tooLarge.put(r.url(), e.getMessage());
            }
            failed.put(r.key(), closed ? "the mix is stopping" : String.valueOf(e.getMessage()));
            if (!closed) {
                LOG.warnf("%s not shown: %s", r.field(), e.getMessage());
            }
        } finally {
            pending.remove(r.key());
            done.complete(null);
        }
        if (!closed) {
            arrived.run();
        }
    }

    State state(Request r) {
        if (images.contains(r.key())) {
            return State.READY;
        }
        if (pending.containsKey(r.key())) {
            return State.PENDING;
        }
        return failed.containsKey(r.key()) ? State.FAILED : State.PENDING;
    }

    /** Why {@code r} is not shown, or null. */
    String failure(Request r) {
        return failed.get(r.key());
    }

    /** Why the image at {@code url} was refused as too large, or null. */
    String tooLarge(String url) {
        return url == null ? null : tooLarge.get(url);
    }

    /** Takes the cached picture of {@code r} for a plan, or null when it is not in (yet). */
    StillImages.Picture take(Request r) {
        return images.take(r.key());
    }

    /** Breaks a running fetch at once and drops queued ones; never waits for them. */
    @Override
    public void close() {
        closed = true;
        interrupter.stop();
        exec.shutdownNow();
    }
}
