package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avutil.AVFrame;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;

/** Allocation and filling of pictures. */
public final class Frames {
    private Frames() {
    }

    /** A new picture with its own buffers; free it with {@link #free(AVFrame)}. */
    public static AVFrame video(int width, int height, int pixFmt) {
        AVFrame f = av_frame_alloc();
        f.width(width).height(height).format(pixFmt);
        int ret = av_frame_get_buffer(f, 0);
        if (ret < 0) {
            av_frame_free(f);
            Av.check(ret, "cannot allocate a " + width + "x" + height + " picture");
        }
        return f;
    }

    public static void free(AVFrame f) {
        if (f != null && !f.isNull()) {
            av_frame_free(f);
        }
    }

    /** Fills a YUV420P picture with one colour. */
    public static void fill(AVFrame f, Yuv c) {
        if (f.format() != AV_PIX_FMT_YUV420P) {
            throw new IllegalArgumentException("fill expects YUV420P");
        }
        int h = f.height();
        int ch = (h + 1) / 2;
        f.data(0).limit((long) f.linesize(0) * h).fill(c.y() & 0xFF);
        f.data(1).limit((long) f.linesize(1) * ch).fill(c.u() & 0xFF);
        f.data(2).limit((long) f.linesize(2) * ch).fill(c.v() & 0xFF);
    }

    /** A colour in limited-range BT.601 YUV, the matrix swscale uses for RGB sources by default. */
    public record Yuv(int y, int u, int v) {
        public static Yuv ofRgb(int r, int g, int b) {
            int y = (int) Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255.0);
            int u = (int) Math.round(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255.0);
            int v = (int) Math.round(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255.0);
            return new Yuv(y, u, v);
        }

        /** From "#RRGGBB"; null gives black. */
        public static Yuv ofHex(String hex) {
            if (hex == null) {
                return ofRgb(0, 0, 0);
            }
            int rgb = Integer.parseInt(hex.substring(1), 16);
            return ofRgb((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
        }
    }
}
