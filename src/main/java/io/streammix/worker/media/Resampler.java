package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_compare;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/** Converts audio between sample formats, rates and channel layouts (swresample). */
public final class Resampler implements AutoCloseable {
    private final AVChannelLayout inLayout = new AVChannelLayout();
    private final int inFormat;
    private final int inRate;
    private SwrContext ctx;

    public Resampler(AVChannelLayout in, int inFormat, int inRate, AVChannelLayout out, int outFormat, int outRate) {
        this.inFormat = inFormat;
        this.inRate = inRate;
        Av.check(av_channel_layout_copy(inLayout, in), "channel layout");
        SwrContext s = new SwrContext(null);
        Av.check(swr_alloc_set_opts2(s, out, outFormat, outRate, in, inFormat, inRate, 0, null), "resampler options");
        ctx = s;
        Av.check(swr_init(ctx), "resampler init");
    }

    /** True when frames in this layout/format/rate can go through this resampler. */
    public boolean accepts(AVChannelLayout in, int format, int rate) {
        return format == inFormat && rate == inRate && av_channel_layout_compare(inLayout, in) == 0;
    }

    /** @return samples written per channel into {@code out} */
    public int convert(PointerPointer<?> out, int outCapacity, PointerPointer<?> in, int inSamples) {
        return Av.check(swr_convert(ctx, out, outCapacity, in, inSamples), "resample");
    }

    public static AVChannelLayout layout(int channels) {
        AVChannelLayout l = new AVChannelLayout();
        av_channel_layout_default(l, channels);
        return l;
    }

    @Override
    public void close() {
        if (ctx != null) {
            swr_free(ctx);
            ctx = null;
        }
        av_channel_layout_uninit(inLayout);
        inLayout.close();
    }
}
