package io.streammix.worker.engine.scene;

import io.streammix.worker.engine.input.InputSource;
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

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVA420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;

/**
 * Background and watermark pictures, decoded once and scaled to where they are drawn, cached by URL and size
 * so that a plan change that keeps them costs nothing. Pictures live until the engine closes the cache.
 */
public final class StillImages implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StillImages.class);
    private final Map<String, Picture> cache = new ConcurrentHashMap<>();
    private final Map<String, InputLayout.Placeholder> placeholders = new ConcurrentHashMap<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    /** Image URLs refused as over {@link MediaLimits}, with why (no URL in it): a spec naming one is refused. */
    private final Map<String, String> tooLarge = new ConcurrentHashMap<>();

    /** A picture ready to draw; for watermarks also its planes in Java arrays for alpha blending. */
    public static final class Picture {
        public final AVFrame frame;
        public final byte[][] planes;

        Picture(AVFrame frame, byte[][] planes) {
            this.frame = frame;
            this.planes = planes;
        }
    }

    public List<String> warnings() {
        return warnings;
    }

    /** The canvas background: the colour, covered by the image scaled to the canvas when there is one that decodes. */
    public Picture background(String imageUrl, Frames.Yuv color, int w, int h) {
        String key = "bg|" + imageUrl + "|" + color + "|" + w + "x" + h;
        return cache.computeIfAbsent(key, k -> {
            AVFrame f = Frames.video(w, h, AV_PIX_FMT_YUV420P);
            Frames.fill(f, color);
            if (imageUrl != null) {
                try {
                    AVFrame img = decode(imageUrl, "background image");
                    try (Scaler s = new Scaler()) {
                        s.scale(img, f);
                    } finally {
                        Frames.free(img);
                    }
                } catch (RuntimeException e) {
                    refused(imageUrl, e);
                    warn("background image not shown: " + e.getMessage());
                }
            }
            return new Picture(f, null);
        });
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

    /** The watermark scaled to its rect, with alpha; null (and a warning) when the image does not decode. */
    public Picture watermark(String imageUrl, int w, int h) {
        String key = "wm|" + imageUrl + "|" + w + "x" + h;
        Picture cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            AVFrame img = decode(imageUrl, "watermark image");
            AVFrame f = Frames.video(w, h, AV_PIX_FMT_YUVA420P);
            try (Scaler s = new Scaler()) {
                s.scale(img, f);
            } finally {
                Frames.free(img);
            }
            byte[][] planes = new byte[4][];
            for (int p = 0; p < 4; p++) {
                int pw = p == 1 || p == 2 ? w / 2 : w;
                int ph = p == 1 || p == 2 ? h / 2 : h;
                planes[p] = new byte[pw * ph];
                for (int row = 0; row < ph; row++) {
                    f.data(p).position((long) row * f.linesize(p)).get(planes[p], row * pw, pw);
                }
                f.data(p).position(0);
            }
            Picture pic = new Picture(f, planes);
            cache.put(key, pic);
            return pic;
        } catch (RuntimeException e) {
            refused(imageUrl, e);
            warn("watermark not shown: " + e.getMessage());
            return null;
        }
    }

    private void refused(String url, RuntimeException e) {
        if (e instanceof PictureTooLargeException) {
            tooLarge.put(url, e.getMessage());
        }
    }

    /** Why the image at {@code url} was refused as too large, or null. */
    public String tooLarge(String url) {
        return url == null ? null : tooLarge.get(url);
    }

    private void warn(String w) {
        if (!warnings.contains(w)) {
            warnings.add(w);
            LOG.warn(w);
        }
    }

    /** Decodes the first picture of an image (or any video) URL; the caller frees the frame. */
    public static AVFrame decode(String url, String name) {
        String refused = io.streammix.api.validation.UrlPolicy.refusal(url, io.streammix.api.validation.UrlPolicy.Use.IMAGE);
        if (refused != null) {
            throw new MediaException(name + ": refused by the URL policy: " + refused);
        }
        InputSource src = InputSource.of(urlOnly(url), null);
        try (Interrupter intr = new Interrupter();
             Demuxer d = Demuxer.open(src.url(), src.format(), src.options(), intr,
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
        int n = Math.min(pkt.size(), 64 * 1024);
        byte[] head = new byte[n];
        pkt.data().position(0).get(head, 0, n);
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

    @Override
    public void close() {
        cache.values().forEach(p -> Frames.free(p.frame));
        cache.clear();
        placeholders.values().forEach(p -> Frames.free(p.frame()));
        placeholders.clear();
    }
}
