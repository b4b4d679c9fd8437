package io.streammix.worker.engine.scene;

import io.streammix.worker.engine.source.InputSource;
import io.streammix.worker.media.Decoder;
import io.streammix.worker.media.Demuxer;
import io.streammix.worker.media.Frames;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.MediaException;
import io.streammix.worker.media.MediaLimits;
import io.streammix.worker.media.PictureHeader;
import io.streammix.worker.media.PictureTooLargeException;
import io.streammix.worker.media.Scaler;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;

/**
 * The decoded background and watermark pictures, scaled to where they are drawn, cached by key (URL and size, or
 * colour and size) so that a plan change that keeps them costs nothing. The cache is bounded: past {@link #MAX_BYTES}
 * of pictures or {@link #MAX_ENTRIES} entries it frees the least recently used pictures that no plan holds. Plans
 * hold their pictures through a {@link Hold}: a picture a plan holds is never freed, whatever the cache's size.
 *
 * <p>Thread-safe: the control thread and the {@link ImageLoader} add and take pictures, the output clock releases the
 * plans it is done with; all under this object's lock, which is only held for map updates, never while decoding.
 */
public final class StillImages implements AutoCloseable {
    public static final long MAX_BYTES = 64L << 20;
    public static final int MAX_ENTRIES = 32;
    private final long maxBytes;
    private final int maxEntries;
    /** In access order: the first entries are the least recently used. */
    private final LinkedHashMap<String, Picture> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private boolean closed;
    private static final Logger LOG = Logger.getLogger(StillImages.class);
    /** Lost inputs' placeholders (issue 12, lost inputs), kept for the engine's lifetime: few and small. */
    private final Map<String, InputLayout.Placeholder> placeholders = new ConcurrentHashMap<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    /** Placeholder URLs refused as over {@link MediaLimits}, with why (no URL in it): a spec naming one is refused. */
    private final Map<String, String> tooLarge = new ConcurrentHashMap<>();

    private static final String COLOUR = "colour|";

    /** A picture ready to draw; a watermark also has its blend prepared once ({@link WatermarkBlend}). */
    public static final class Picture {
        public final AVFrame frame;
        public final WatermarkBlend blend;
        final String key;
        final long bytes;
        /** How many plans hold it; guarded by the cache's lock. */
        private int refs;
        private boolean freed;

        Picture(String key, AVFrame frame, WatermarkBlend blend) {
            this.key = key;
            this.frame = frame;
            this.blend = blend;
            this.bytes = (long) av_image_get_buffer_size(frame.format(), frame.width(), frame.height(), 1)
                    + (blend == null ? 0 : blend.bytes());
        }

        /** A plain colour ({@link StillImages#colour}), not an image. */
        public boolean colour() {
            return key.startsWith(COLOUR);
        }
    }

    public StillImages() {
        this(MAX_BYTES, MAX_ENTRIES);
    }

    StillImages(long maxBytes, int maxEntries) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    /**
     * The pictures one plan holds. It starts held once (by whoever installs the plan); the output clock takes a hold
     * of its own before drawing and gives it back when it moves on; the pictures are released with the last hold.
     */
    public static final class Hold {
        private final StillImages owner;
        private final List<Picture> pictures = new ArrayList<>();
        private final AtomicInteger holds = new AtomicInteger(1);

        public Hold(StillImages owner) {
            this.owner = owner;
        }

        /** Adds a picture taken with {@link StillImages#take} (or a colour) to this plan. */
        Picture add(Picture p) {
            if (p != null) {
                pictures.add(p);
            }
            return p;
        }

        /** A further hold, unless the plan was already released (then it must not be drawn). */
        public boolean tryAcquire() {
            for (int n = holds.get(); n > 0; n = holds.get()) {
                if (holds.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return false;
        }

        public void release() {
            if (holds.decrementAndGet() == 0 && owner != null) {
                owner.release(pictures);
            }
        }
    }

    /** The picture cached under {@code key}, counted as held by one more plan; null when not cached. */
    synchronized Picture take(String key) {
        Picture p = cache.get(key);
        if (p != null) {
            p.refs++;
        }
        return p;
    }

    /** One more hold on a picture some plan holds now (so it is cached). */
    synchronized Picture retain(Picture p) {
        if (p.freed) {
            throw new IllegalStateException("picture " + p.key + " was freed while a plan held it");
        }
        p.refs++;
        return p;
    }

    synchronized boolean contains(String key) {
        return cache.containsKey(key);
    }

    /** Caches a picture no plan holds yet (replacing nothing: a key already cached keeps its picture). */
    synchronized void put(String key, AVFrame frame, WatermarkBlend blend) {
        if (closed || cache.containsKey(key)) {
            Frames.free(frame);
            return;
        }
        Picture p = new Picture(key, frame, blend);
        cache.put(key, p);
        bytes += p.bytes;
        evict();
    }

    /** A plain colour of the canvas size, made at once when missing (a fill: cheap), taken for one plan. */
    synchronized Picture colour(Frames.Yuv color, int w, int h) {
        String key = COLOUR + color + "|" + w + "x" + h;
        if (!cache.containsKey(key)) {
            AVFrame f = Frames.video(w, h, AV_PIX_FMT_YUV420P);
            Frames.fill(f, color);
            put(key, f, null);
        }
        return take(key);
    }

    synchronized void release(List<Picture> pictures) {
        for (Picture p : pictures) {
            p.refs--;
        }
        evict();
    }

    /** Frees least recently used pictures that no plan holds while the cache is over its bounds. */
    private void evict() {
        Iterator<Picture> it = cache.values().iterator();
        while ((bytes > maxBytes || cache.size() > maxEntries) && it.hasNext()) {
            Picture p = it.next();
            if (p.refs == 0) {
                it.remove();
                bytes -= p.bytes;
                p.freed = true;
                Frames.free(p.frame);
            }
        }
    }

    /**
     * A lost input's placeholder scaled into its rect as the layout's renderMode says; null (and a warning) when the
     * image does not decode: the rect then shows the background.
     */
    public InputLayout.Placeholder placeholder(String imageUrl, InputLayout l) {
        String key = "ph|" + imageUrl + "|" + l.width() + "x" + l.height() + "|" + l.renderMode();
        InputLayout.Placeholder cached = placeholders.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            AVFrame img = decode(imageUrl, "placeholder image of input " + l.name());
            try (Scaler s = new Scaler()) {
                InputLayout.Placement pl = l.place(img.width(), img.height());
                AVFrame f = Frames.video(pl.width(), pl.height(), AV_PIX_FMT_YUV420P);
                try {
                    s.scale(img, pl.cropX(), pl.cropY(), pl.cropW(), pl.cropH(), f);
                } catch (RuntimeException e) {
                    Frames.free(f);
                    throw e;
                }
                InputLayout.Placeholder p = new InputLayout.Placeholder(f, pl.dx(), pl.dy());
                InputLayout.Placeholder raced = placeholders.putIfAbsent(key, p);
                if (raced != null) {
                    Frames.free(f);
                    return raced;
                }
                return p;
            } finally {
                Frames.free(img);
            }
        } catch (RuntimeException e) {
            refused(imageUrl, e);
            warn("placeholder of input " + l.name() + " not shown: " + e.getMessage());
            return null;
        }
    }

    private void refused(String url, RuntimeException e) {
        if (e instanceof PictureTooLargeException) {
            tooLarge.put(url, e.getMessage());
        }
    }

    /** Why the placeholder image at {@code url} was refused as too large, or null. */
    public String tooLarge(String url) {
        return url == null ? null : tooLarge.get(url);
    }

    /** Placeholders not shown, and why. */
    public List<String> warnings() {
        return warnings;
    }

    private void warn(String w) {
        if (!warnings.contains(w)) {
            warnings.add(w);
            LOG.warn(w);
        }
    }

    /** Bytes of decoded pictures in the cache. */
    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return cache.size();
    }

    /** Decodes the first picture of an image (or any video) URL; the caller frees the frame. */
    public static AVFrame decode(String url, String name) {
        try (Interrupter intr = new Interrupter()) {
            return decode(url, name, intr);
        }
    }

    /** As {@link #decode(String, String)}; stopping {@code intr} breaks a blocked fetch at once. */
    public static AVFrame decode(String url, String name, Interrupter intr) {
        String refused = io.streammix.api.validation.UrlPolicy.refusal(url, io.streammix.api.validation.UrlPolicy.Use.IMAGE);
        if (refused != null) {
            throw new MediaException(name + ": refused by the URL policy: " + refused);
        }
        InputSource src = InputSource.of(urlOnly(url), null);
        try (Demuxer d = Demuxer.open(src.url(), src.format(), src.options(), intr,
                     InputSource.CONNECT_TIMEOUT_MS, InputSource.READ_TIMEOUT_MS, name, false)) {
            // Caps before decoding (issue 13): the size of the file or response, then the picture's own header.
            long bytes = d.size();
            if (bytes > MediaLimits.MAX_IMAGE_BYTES) {
                throw new PictureTooLargeException(name + ": " + bytes + " bytes, more than the worker's limit of "
                        + MediaLimits.MAX_IMAGE_BYTES + " bytes");
            }
            int vs = d.bestStream(AVMEDIA_TYPE_VIDEO);
            if (vs < 0) {
                throw new MediaException(name + ": not a picture");
            }
            AVPacket pkt = av_packet_alloc();
            AVFrame[] out = new AVFrame[1];
            try (Decoder dec = new Decoder(d.stream(vs), name, MediaLimits.MAX_IMAGE_PIXELS)) {
                while (out[0] == null && d.read(pkt, name)) {
                    if (pkt.stream_index() == vs) {
                        checkPicture(pkt, name);
                        dec.decode(pkt, f -> out[0] = av_frame_clone(f), name);
                    }
                    av_packet_unref(pkt);
                }
                if (out[0] == null) {
                    dec.decode(null, f -> {
                        if (out[0] == null) {
                            out[0] = av_frame_clone(f);
                        }
                    }, name);
                }
            } finally {
                av_packet_free(pkt);
            }
            if (out[0] == null) {
                throw new MediaException(name + ": no picture could be decoded");
            }
            return out[0];
        }
    }

    /** The encoded picture's size and the dimensions its header states, against {@link MediaLimits}, before decoding. */
    private static void checkPicture(AVPacket pkt, String name) {
        if (pkt.size() > MediaLimits.MAX_IMAGE_BYTES) {
            throw new PictureTooLargeException(name + ": " + pkt.size() + " bytes, more than the worker's limit of "
                    + MediaLimits.MAX_IMAGE_BYTES + " bytes");
        }
        // The whole packet (at most MAX_IMAGE_BYTES): a PNG's compressed metadata may sit anywhere before its pixels.
        int n = pkt.size();
        byte[] head = new byte[n];
        pkt.data().position(0).get(head, 0, n);
        String bomb = io.streammix.worker.media.PngChunks.refusal(head, n);
        if (bomb != null) {
            throw new PictureTooLargeException(name + ": " + bomb);
        }
        long[] wh = PictureHeader.dimensions(head, n);
        if (wh != null && wh[0] * wh[1] > MediaLimits.MAX_IMAGE_PIXELS) {
            throw new PictureTooLargeException(name + ": the picture is " + wh[0] + "x" + wh[1] + ", more than the worker's limit of "
                    + "4096x4096 pixels");
        }
    }

    private static io.streammix.api.v1alpha1.MixInput urlOnly(String url) {
        io.streammix.api.v1alpha1.MixInput in = new io.streammix.api.v1alpha1.MixInput();
        in.url = url;
        return in;
    }

    /** Frees every picture: only once nothing draws any more (the engine closes it after the clock stopped). */
    @Override
    public synchronized void close() {
        closed = true;
        cache.values().forEach(p -> {
            p.freed = true;
            Frames.free(p.frame);
        });
        cache.clear();
        placeholders.values().forEach(p -> Frames.free(p.frame()));
        placeholders.clear();
        bytes = 0;
    }
}
