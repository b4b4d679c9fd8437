package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_CROP_UNALIGNED;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_HWACCEL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_PLANAR;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_apply_cropping;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * Scales and converts pictures; the context follows the source and target geometry as they change.
 *
 * <p>Packed sources (RGB24, BGRA, YUYV, PAL8: what PNG stills, lavfi test sources, rawvideo and some
 * capture codecs give) are first copied into a picture of our own with spare rows and columns. The
 * SIMD input converters of libswscale (e.g. {@code ff_rgb24ToY_avx}) read a few bytes past the end
 * of each line; on the last line of a tightly allocated buffer that is past the buffer, and the worker
 * died twice in tests with SIGSEGV in libswscale reading RGB24 pictures from a PNG and from testsrc.
 * OpenCV works around the same over-read the same way. Planar YUV, what video decoders give, is scaled
 * in place: decoders pad their buffers.
 */
public final class Scaler implements AutoCloseable {
    /** Spare pixels per line and spare lines of the copy: more than any SIMD over-read. */
    private static final int SPARE_PIXELS = 64;
    private static final int SPARE_LINES = 2;

    private SwsContext ctx;
    private AVFrame padded;
    /** The last source format and whether it is packed: looked up once per format change, not per frame. */
    private int lastFormat = -1;
    private boolean lastPacked;

    /**
     * Scales the window {@code (cropX, cropY, cropW, cropH)} of {@code src} into the whole of {@code dst}
     * (dst must have its buffers). The crop offsets are applied to the plane pointers of {@code src}, so
     * cropping costs nothing; {@code src} must be a reference the caller may change.
     */
    public void scale(AVFrame src, int cropX, int cropY, int cropW, int cropH, AVFrame dst) {
        if (cropX != 0 || cropY != 0 || cropW != src.width() || cropH != src.height()) {
            src.crop_left(cropX).crop_top(cropY)
                    .crop_right(src.width() - cropX - cropW).crop_bottom(src.height() - cropY - cropH);
            Av.check(av_frame_apply_cropping(src, AV_FRAME_CROP_UNALIGNED), "crop");
        }
        int w = src.width();
        int h = src.height();
        if (src.format() != lastFormat) {
            lastFormat = src.format();
            lastPacked = packed(lastFormat);
        }
        AVFrame from = lastPacked ? paddedCopy(src) : src;
        ctx = sws_getCachedContext(ctx, w, h, src.format(),
                dst.width(), dst.height(), dst.format(), SWS_BILINEAR, null, null, (DoublePointer) null);
        Av.notNull(ctx, "cannot scale " + w + "x" + h + " to " + dst.width() + "x" + dst.height());
        sws_scale(ctx, from.data(), from.linesize(), 0, h, dst.data(), dst.linesize());
    }

    public void scale(AVFrame src, AVFrame dst) {
        scale(src, 0, 0, src.width(), src.height(), dst);
    }

    /** Whether pictures of this format are copied before scaling (see the class comment). */
    public static boolean packed(int pixFmt) {
        AVPixFmtDescriptor d = av_pix_fmt_desc_get(pixFmt);
        if (d == null || d.isNull()) {
            return false;
        }
        long flags = d.flags();
        return (flags & AV_PIX_FMT_FLAG_PLANAR) == 0 && (flags & AV_PIX_FMT_FLAG_HWACCEL) == 0;
    }

    /** {@code src} copied into our reusable picture with spare room on every line and below the last one. */
    private AVFrame paddedCopy(AVFrame src) {
        int w = src.width();
        int h = src.height();
        if (padded == null || padded.format() != src.format()
                || padded.width() < w || padded.width() > w + 2 * SPARE_PIXELS
                || padded.height() < h || padded.height() > h + 2 * SPARE_LINES) {
            Frames.free(padded);
            padded = null;
            padded = Frames.video(w + SPARE_PIXELS, h + SPARE_LINES, src.format());
        }
        // av_frame_copy copies src's width x height (and a palette) into the larger picture.
        Av.check(av_frame_copy(padded, src), "copy a packed picture");
        return padded;
    }

    @Override
    public void close() {
        if (ctx != null) {
            sws_freeContext(ctx);
            ctx = null;
        }
        Frames.free(padded);
        padded = null;
    }
}
