package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/** Decodes the packets of one stream; frames are handed to a consumer and unreferenced after it returns. */
public final class Decoder implements AutoCloseable {
    private final AVCodecContext ctx;
    private final AVFrame frame = av_frame_alloc();
    private long refused;
    private final AVRational timeBase;

    /** A decoder that refuses pictures over {@link MediaLimits#MAX_INPUT_PIXELS}. */
    public Decoder(AVStream stream, String name) {
        this(stream, name, MediaLimits.MAX_INPUT_PIXELS);
    }

    /**
     * @param maxPixels the largest picture accepted: a stream that says it is larger is refused here, and FFmpeg's own
     *                  {@code max_pixels} refuses a frame that turns out larger before allocating it
     */
    public Decoder(AVStream stream, String name, long maxPixels) {
        long w = stream.codecpar().width();
        long h = stream.codecpar().height();
        if (w * h > maxPixels) {
            throw new PictureTooLargeException(name + ": the picture is " + w + "x" + h + ", more than the worker's limit of "
                    + MediaLimits.megapixels(maxPixels));
        }
        AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
        Av.notNull(codec, name + ": no decoder for codec id " + stream.codecpar().codec_id());
        ctx = avcodec_alloc_context3(codec);
        try {
            Av.check(avcodec_parameters_to_context(ctx, stream.codecpar()), name + ": decoder parameters");
            ctx.pkt_timebase(stream.time_base());
            ctx.max_pixels(maxPixels);
            // Slice threads add no latency; frame threads would delay every picture by a frame per thread.
            ctx.thread_type(2 /* FF_THREAD_SLICE */);
            ctx.thread_count(Encoder.codecThreads());
            Av.check(avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), name + ": cannot open decoder");
        } catch (RuntimeException e) {
            avcodec_free_context(ctx);
            frame.close();
            throw e;
        }
        timeBase = stream.time_base();
    }

    public AVRational timeBase() {
        return timeBase;
    }

    /** Decodes one packet (null to drain) and passes every frame it yields to {@code sink}. */
    public void decode(AVPacket pkt, Consumer<AVFrame> sink, String name) {
        int ret = avcodec_send_packet(ctx, pkt);
        if (ret < 0 && ret != Av.EAGAIN && ret != Av.EOF) {
            // A corrupt packet is not fatal for a live input: skip it and let the next keyframe recover.
            refused++;
            return;
        }
        while (true) {
            ret = avcodec_receive_frame(ctx, frame);
            if (ret == Av.EAGAIN || ret == Av.EOF) {
                return;
            }
            Av.check(ret, name, "decode failed");
            try {
                sink.accept(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    /** Packets refused as corrupt (skipped) so far. */
    public long refused() {
        return refused;
    }

    public void flush() {
        avcodec_flush_buffers(ctx);
    }

    @Override
    public void close() {
        avcodec_free_context(ctx);
        av_frame_free(frame);
    }
}
