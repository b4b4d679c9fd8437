package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/** Scales and converts pictures; the context follows the source and target geometry as they change. */
public final class Scaler implements AutoCloseable {
    private SwsContext ctx;

    /**
     * Scales the window {@code (cropX, cropY, cropW, cropH)} of {@code src} into the whole of {@code dst}
     * (dst must have its buffers). The crop offsets are applied to the plane pointers, so cropping costs nothing.
     */
    public void scale(AVFrame src, int cropX, int cropY, int cropW, int cropH, AVFrame dst) {
        if (cropX != 0 || cropY != 0 || cropW != src.width() || cropH != src.height()) {
            src.crop_left(cropX).crop_top(cropY)
                    .crop_right(src.width() - cropX - cropW).crop_bottom(src.height() - cropY - cropH);
            Av.check(org.bytedeco.ffmpeg.global.avutil.av_frame_apply_cropping(src,
                    org.bytedeco.ffmpeg.global.avutil.AV_FRAME_CROP_UNALIGNED), "crop");
        }
        ctx = sws_getCachedContext(ctx, src.width(), src.height(), src.format(),
                dst.width(), dst.height(), dst.format(), SWS_BILINEAR, null, null, (DoublePointer) null);
        Av.notNull(ctx, "cannot scale " + src.width() + "x" + src.height() + " to " + dst.width() + "x" + dst.height());
        sws_scale(ctx, src.data(), src.linesize(), 0, src.height(), dst.data(), dst.linesize());
    }

    public void scale(AVFrame src, AVFrame dst) {
        scale(src, 0, 0, src.width(), src.height(), dst);
    }

    @Override
    public void close() {
        if (ctx != null) {
            sws_freeContext(ctx);
            ctx = null;
        }
    }
}
