package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;

/** One encoder (libx264/libx265, aac, libmp3lame) opened with the settings of an output. */
public final class Encoder implements AutoCloseable {
    private final AVCodecContext ctx;
    private final AVPacket pkt = av_packet_alloc();
    private final String name;

    private Encoder(AVCodecContext ctx, String name) {
        this.ctx = ctx;
        this.name = name;
    }

    /** Video settings; {@code crf} null means CBR. */
    public record VideoSettings(String codec, int width, int height, int fps, int bitrate, Integer crf, String preset) {
    }

    /**
     * Opens a video encoder. With CBR the VBV (max rate and buffer) is set from the start: x264 only accepts a
     * new bitrate later (live reconfiguration) when VBV was on when it opened. With CRF the bitrate caps the rate.
     */
    public static Encoder video(VideoSettings s, String name) {
        AVCodec codec = Av.notNull(avcodec_find_encoder_by_name(s.codec()), name + ": encoder " + s.codec() + " is not available");
        AVCodecContext c = avcodec_alloc_context3(codec);
        c.width(s.width()).height(s.height()).pix_fmt(AV_PIX_FMT_YUV420P);
        c.time_base(Av.q(1, s.fps())).framerate(Av.q(s.fps(), 1));
        c.gop_size(gopFrames(s.fps()));
        c.thread_count(codecThreads());
        c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("preset", s.preset());
        if (s.crf() == null) {
            c.bit_rate(s.bitrate()).rc_max_rate(s.bitrate()).rc_buffer_size(s.bitrate());
        } else {
            opts.put("crf", Integer.toString(s.crf()));
            c.rc_max_rate(s.bitrate()).rc_buffer_size(2 * s.bitrate());
        }
        // The caller chooses keyframes (pict_type I, every gopFrames, see SeiStamper): forced ones are IDR, and no
        // scene cut adds others, so the caller knows which frames are keyframes before they are encoded.
        opts.put("forced-idr", "1");
        // A live mix: a change (a moved rect, a new background) must reach viewers within a frame or two. With the
        // preset alone x264 holds 10 frames of lookahead, 3 B-frames and frame threads (17 frames, 1.1 s at 15 fps,
        // measured by LiveUpdateEndToEndBenchmark); zerolatency removes them (no B-frames, no lookahead, sliced
        // threads) for some quality per bit. x265 has the same tune.
        opts.put("tune", "zerolatency");
        if (s.codec().equals("libx265")) {
            // No udu_sei: x265 would put its own UUID before ours; the caller writes H.265 SEI into the packets.
            opts.put("x265-params", "log-level=error:scenecut=0:open-gop=0");
        } else {
            // AV_FRAME_DATA_SEI_UNREGISTERED side data on a frame becomes a user_data_unregistered SEI only with udu_sei.
            opts.put("udu_sei", "1");
            opts.put("sc_threshold", "0");
        }
        return open(c, codec, opts, name);
    }

    /**
     * Threads of one codec: the CPUs this process may use. FFmpeg's automatic count (thread_count 0) and x264's count
     * every CPU of the node, not the pod's CPU limit, and each codec thread has its own buffers: a worker with a
     * limit of 2 CPUs on a 64-CPU node started 64 slice threads per decoder and encoder. The JVM reads the container's
     * CPU limit (cgroup quota); on a machine without a limit both counts agree.
     */
    public static int codecThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Frames between two keyframes: two seconds. */
    public static int gopFrames(int fps) {
        return 2 * fps;
    }

    public static Encoder audio(String codecName, int bitrate, int channels, int sampleRate, String name) {
        AVCodec codec = Av.notNull(avcodec_find_encoder_by_name(codecName), name + ": encoder " + codecName + " is not available");
        AVCodecContext c = avcodec_alloc_context3(codec);
        c.sample_rate(sampleRate).bit_rate(bitrate).time_base(Av.q(1, sampleRate));
        try (AVChannelLayout layout = Resampler.layout(channels)) {
            av_channel_layout_copy(c.ch_layout(), layout);
        }
        org.bytedeco.javacpp.IntPointer fmts = codec.sample_fmts();
        c.sample_fmt(fmts == null || fmts.isNull() ? org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP : fmts.get(0));
        c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        return open(c, codec, Map.of(), name);
    }

    private static Encoder open(AVCodecContext c, AVCodec codec, Map<String, String> opts, String name) {
        AVDictionary d = Av.dict(opts);
        try {
            Av.check(avcodec_open2(c, codec, d), name + ": cannot open encoder " + codec.name().getString());
        } catch (RuntimeException e) {
            avcodec_free_context(c);
            throw e;
        } finally {
            av_dict_free(d);
        }
        return new Encoder(c, name);
    }

    public AVCodecContext context() {
        return ctx;
    }

    public AVRational timeBase() {
        return ctx.time_base();
    }

    /** Samples per audio frame the encoder wants (0 for video or variable). */
    public int frameSize() {
        return ctx.frame_size();
    }

    /** Encodes one frame (null to drain); each packet goes to {@code sink} and is unreferenced after it returns. */
    public void encode(AVFrame frame, Consumer<AVPacket> sink) {
        int ret = avcodec_send_frame(ctx, frame);
        if (ret < 0 && ret != Av.EOF) {
            Av.check(ret, name + ": encode failed");
        }
        while (true) {
            ret = avcodec_receive_packet(ctx, pkt);
            if (ret == Av.EAGAIN || ret == Av.EOF) {
                return;
            }
            Av.check(ret, name, "encode failed");
            try {
                sink.accept(pkt);
            } finally {
                av_packet_unref(pkt);
            }
        }
    }

    @Override
    public void close() {
        avcodec_free_context(ctx);
        av_packet_free(pkt);
    }
}
