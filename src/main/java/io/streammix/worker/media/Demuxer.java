package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_APNG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;

/** An opened input (URL or file): streams and packets. Synthetic sources are {@link FilterGraphSource}s instead. */
public final class Demuxer implements AutoCloseable {
    private final AVFormatContext ctx;
    private final Interrupter interrupter;
    private final long readTimeoutMillis;
    /** How long {@code avformat_find_stream_info} read (ns): of a live stream, the media it buffered is that old. */
    private long probeNanos;

    private Demuxer(AVFormatContext ctx, Interrupter interrupter, long readTimeoutMillis) {
        this.ctx = ctx;
        this.interrupter = interrupter;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /**
     * Seconds spent probing the streams after opening. A live source delivers in real time, so the packets the probe read
     * and buffered are about this much behind the live edge when the first of them is handed out.
     */
    public double probeSeconds() {
        return probeNanos / 1e9;
    }

    /**
     * @param url         what FFmpeg opens (never logged by this class: {@code name} is used in messages)
     * @param format      a forced input format, or null to probe
     * @param options     demuxer/protocol options
     * @param name        how the input is named in error messages (no credentials)
     */
    public static Demuxer open(String url, String format, Map<String, String> options, Interrupter interrupter,
                               long connectTimeoutMillis, long readTimeoutMillis, String name) {
        return open(url, format, options, interrupter, connectTimeoutMillis, readTimeoutMillis, name, true);
    }

    /**
     * @param analyze false to skip {@code avformat_find_stream_info}, which decodes a first frame to learn what the
     *                demuxer did not say: a still image is then checked ({@link MediaLimits}) before anything decodes it
     */
    public static Demuxer open(String url, String format, Map<String, String> options, Interrupter interrupter,
                               long connectTimeoutMillis, long readTimeoutMillis, String name, boolean analyze) {
        AVInputFormat fmt = null;
        if (format != null) {
            fmt = av_find_input_format(format);
            Av.notNull(fmt, name + ": input format " + format + " is not available");
        }
        OpenGuard.check(url, name);
        AVFormatContext ctx = avformat_alloc_context();
        interrupter.install(ctx.interrupt_callback());
        Map<String, String> guarded = OpenGuard.withWhitelist(url, options);
        // A hop the egress proxy refused reaches FFmpeg as a 403: counted, so the reason can say which it was.
        long refusedBefore = guarded.containsKey("http_proxy") ? FenceProxy.refusals() : -1;
        AVDictionary opts = Av.dict(guarded);
        try {
            interrupter.arm(connectTimeoutMillis);
            int ret = avformat_open_input(ctx, url, fmt, opts);
            if (ret < 0) {
                // avformat_open_input frees the context on failure.
                throw new MediaException(name + ": cannot open: " + reason(ret, interrupter, connectTimeoutMillis, refusedBefore), ret);
            }
            String moved = OpenedFiles.inputRefusal(ctx.pb(), url);
            if (moved != null) {
                avformat_close_input(ctx);
                throw new MediaException(name + ": refused: " + moved);
            }
            if (!analyze) {
                return new Demuxer(ctx, interrupter, readTimeoutMillis);
            }
            String png = pngStream(ctx);
            if (png != null) {
                avformat_close_input(ctx);
                throw new MediaException(name + ": refused: " + png);
            }
            interrupter.arm(connectTimeoutMillis);
            long probing = System.nanoTime();
            ret = avformat_find_stream_info(ctx, (org.bytedeco.javacpp.PointerPointer<?>) null);
            if (ret < 0) {
                avformat_close_input(ctx);
                throw new MediaException(name + ": no stream information: "
                        + reason(ret, interrupter, connectTimeoutMillis, refusedBefore), ret);
            }
            Demuxer d = new Demuxer(ctx, interrupter, readTimeoutMillis);
            d.probeNanos = System.nanoTime() - probing;
            return d;
        } finally {
            av_dict_free(opts);
        }
    }

    /**
     * Why a stream input must not be decoded when it carries PNG or APNG frames (issue 21, finding 3): FFmpeg's PNG
     * decoder inflates zTXt/iTXt/iCCP chunks whole, and {@link PngChunks} counts them only for pictures (backgrounds,
     * watermarks, still-image inputs, read before decoding). A stream would be decoded by
     * {@code avformat_find_stream_info} before any packet reached us, so it is refused from its header.
     */
    private static String pngStream(AVFormatContext ctx) {
        for (int i = 0; i < ctx.nb_streams(); i++) {
            int codec = ctx.streams(i).codecpar().codec_id();
            if (codec == AV_CODEC_ID_PNG || codec == AV_CODEC_ID_APNG) {
                return "not allowed: PNG frames in a stream are not decoded (their metadata would inflate unbounded); "
                        + "a picture input is a URL whose path ends in .png";
            }
        }
        return null;
    }

    private static String reason(int ret, Interrupter interrupter, long timeoutMillis, long refusedBefore) {
        if (refusedBefore >= 0 && FenceProxy.refusals() > refusedBefore) {
            // Another input's refusal at the same moment is counted here too: then only these words are wrong (nothing
            // was let through).
            return "refused: not allowed: a connection it led to (a redirect, a playlist's segment or key) is outside "
                    + "the worker's egress fence";
        }
        return reason(ret, interrupter, timeoutMillis);
    }

    private static String reason(int ret, Interrupter interrupter, long timeoutMillis) {
        if (interrupter.stopped()) {
            return "stopped";
        }
        if (interrupter.expired() || ret == Av.EXIT) {
            // AVERROR_EXIT comes only from our callback, so when not stopped it was the deadline (libsrt reported it so while
            // the flag read false: "Immediate exit requested" told a user nothing).
            return "timed out after " + timeoutMillis + " ms";
        }
        return Av.error(ret);
    }

    /** The size of the input in bytes when known (a file, an HTTP response with a length), else -1. */
    public long size() {
        if (ctx.pb() == null || ctx.pb().isNull()) {
            return -1;
        }
        long size = org.bytedeco.ffmpeg.global.avformat.avio_size(ctx.pb());
        return size < 0 ? -1 : size;
    }

    /** Index of the best stream of that media type (AVMEDIA_TYPE_*), or -1. */
    public int bestStream(int mediaType) {
        int i = av_find_best_stream(ctx, mediaType, -1, -1, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
        return Math.max(i, -1);
    }

    public AVStream stream(int index) {
        return ctx.streams(index);
    }

    public String formatName() {
        return ctx.iformat().name().getString();
    }

    /**
     * Reads the next packet into {@code pkt} (caller unrefs it).
     *
     * @return false at the end of the input
     * @throws MediaException on a read error or when the read deadline passes
     */
    public boolean read(AVPacket pkt, String name) {
        interrupter.arm(readTimeoutMillis);
        int ret = av_read_frame(ctx, pkt);
        if (ret == Av.EOF) {
            return false;
        }
        if (ret < 0) {
            throw new MediaException(name + ": read failed: " + reason(ret, interrupter, readTimeoutMillis), ret);
        }
        return true;
    }

    /** Back to the start, for looped files. */
    public void rewind(String name) {
        interrupter.arm(readTimeoutMillis);
        Av.check(av_seek_frame(ctx, -1, 0, AVSEEK_FLAG_BACKWARD), name + ": cannot seek to the start");
    }

    @Override
    public void close() {
        avformat_close_input(ctx);
    }
}
