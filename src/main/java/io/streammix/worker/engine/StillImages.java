package io.streammix.worker.engine;

import io.streammix.worker.media.Decoder;
import io.streammix.worker.media.Demuxer;
import io.streammix.worker.media.Frames;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.MediaException;
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
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    /** A picture ready to draw; for watermarks also its planes in Java arrays for alpha blending. */
    public static final class Picture {
        public final AVFrame frame;
        final byte[][] planes;

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
                    warn("background image not shown: " + e.getMessage());
                }
            }
            return new Picture(f, null);
        });
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
            warn("watermark not shown: " + e.getMessage());
            return null;
        }
    }

    private void warn(String w) {
        if (!warnings.contains(w)) {
            warnings.add(w);
            LOG.warn(w);
        }
    }

    /** Decodes the first picture of an image (or any video) URL; the caller frees the frame. */
    public static AVFrame decode(String url, String name) {
        InputSource src = InputSource.of(urlOnly(url), null);
        try (Interrupter intr = new Interrupter();
             Demuxer d = Demuxer.open(src.url(), src.format(), src.options(), intr,
                     InputSource.CONNECT_TIMEOUT_MS, InputSource.READ_TIMEOUT_MS, name)) {
            int vs = d.bestStream(AVMEDIA_TYPE_VIDEO);
            if (vs < 0) {
                throw new MediaException(name + ": not a picture");
            }
            AVPacket pkt = av_packet_alloc();
            AVFrame[] out = new AVFrame[1];
            try (Decoder dec = new Decoder(d.stream(vs), name)) {
                while (out[0] == null && d.read(pkt, name)) {
                    if (pkt.stream_index() == vs) {
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

    private static io.streammix.api.v1alpha1.MixInput urlOnly(String url) {
        io.streammix.api.v1alpha1.MixInput in = new io.streammix.api.v1alpha1.MixInput();
        in.url = url;
        return in;
    }

    @Override
    public void close() {
        cache.values().forEach(p -> Frames.free(p.frame));
        cache.clear();
    }
}
