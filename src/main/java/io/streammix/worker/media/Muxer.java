package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

import io.streammix.api.validation.UrlPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open2;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set_int;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/**
 * Writes encoded streams to a file, a network URL or a caller's AVIO context: the streams of encoders, or copied
 * streams (for bypass), as {@link Streams} says. {@link #close()} writes the trailer.
 */
public final class Muxer implements AutoCloseable {
    private final AVFormatContext ctx;
    private final Interrupter interrupter;
    /** Per output stream, the time base of the packets given to {@link #write}. */
    private final List<AVRational> timeBases = new ArrayList<>();
    private final String name;
    private final long ioTimeoutMillis;
    private final boolean ownsIo;
    private boolean headerWritten;
    private long bytes;

    /** One stream to copy (no encoder): the codec parameters of a source stream and the time base of its packets. */
    public record CopySource(AVCodecParameters parameters, AVRational timeBase) {
    }

    /**
     * The streams of a new muxer, in order: each encoder's, or each copied source's (bypass). A sink opens its
     * muxer from them without knowing which.
     */
    public static final class Streams {
        private final List<Stream> list;

        private Streams(List<Stream> list) {
            this.list = List.copyOf(list);
        }

        public static Streams encoded(List<Encoder> encoders, String name) {
            return new Streams(fromEncoders(encoders, name));
        }

        public static Streams copying(List<CopySource> sources, String name) {
            return new Streams(sources.stream().map(s -> new Stream(st -> {
                Av.check(avcodec_parameters_copy(st.codecpar(), s.parameters()), name + ": stream parameters");
                // The source container's codec tag may mean nothing in this one: let the muxer choose.
                st.codecpar().codec_tag(0);
            }, s.timeBase(), s.parameters().codec_type(), s.parameters().codec_id())).toList());
        }

        public int size() {
            return list.size();
        }

        /** The time base of the packets written to stream {@code i}. */
        public AVRational timeBase(int i) {
            return list.get(i).timeBase();
        }

        public boolean hasVideo() {
            return list.stream().anyMatch(s -> s.type() == AVMEDIA_TYPE_VIDEO);
        }

        /** Whether a stream has this codec ({@code AV_CODEC_ID_*}). */
        public boolean has(int codecId) {
            return list.stream().anyMatch(s -> s.codecId() == codecId);
        }
    }

    /** How one output stream is set up, the time base of the packets written to it, its media type and codec. */
    private record Stream(Consumer<AVStream> parameters, AVRational timeBase, int type, int codecId) {
    }

    /**
     * The time base is copied: {@link Encoder#timeBase()} is a view into the encoder's context, and a shared audio
     * encoder's context is freed when the last of its outputs stops, maybe before another one has written its last
     * packets (issue 24; suspected, not confirmed, cause of an intermittent 9026 s file).
     */
    private static List<Stream> fromEncoders(List<Encoder> encoders, String name) {
        return encoders.stream().map(e -> new Stream(st -> Av.check(avcodec_parameters_from_context(st.codecpar(), e.context()),
                name + ": stream parameters"), Av.q(e.timeBase().num(), e.timeBase().den()), e.context().codec_type(),
                e.context().codec_id())).toList();
    }

    /**
     * A muxer on a URL or file for these streams ({@code url} is never put into messages: {@code name} is).
     *
     * @param openTimeoutMillis how long opening the destination may take (an SRT caller waits 3 s for a listener that
     *                          is not there unless cut short), then {@code ioTimeoutMillis} for each write
     */
    public Muxer(String format, String url, Streams streams, Map<String, String> muxerOptions,
                 Interrupter interrupter, long openTimeoutMillis, long ioTimeoutMillis, String name) {
        this(format, url, null, streams.list, muxerOptions, interrupter, openTimeoutMillis, ioTimeoutMillis, name);
    }

    /** A muxer writing these streams into {@code io}, which the caller keeps and frees after {@link #close()}. */
    public Muxer(String format, AVIOContext io, Streams streams, Map<String, String> muxerOptions,
                 Interrupter interrupter, long ioTimeoutMillis, String name) {
        this(format, null, io, streams.list, muxerOptions, interrupter, ioTimeoutMillis, ioTimeoutMillis, name);
    }

    private Muxer(String format, String url, AVIOContext io, List<Stream> streams, Map<String, String> muxerOptions,
                  Interrupter interrupter, long openTimeoutMillis, long ioTimeoutMillis, String name) {
        this.ownsIo = io == null;
        this.interrupter = interrupter;
        this.name = name;
        this.ioTimeoutMillis = ioTimeoutMillis;
        AVFormatContext c = new AVFormatContext(null);
        Av.check(avformat_alloc_output_context2(c, null, format, url), name + ": muxer " + format);
        ctx = c;
        try {
            interrupter.install(ctx.interrupt_callback());
            for (Stream s : streams) {
                AVStream st = Av.notNull(avformat_new_stream(ctx, null), name + ": cannot add a stream");
                s.parameters().accept(st);
                st.time_base(s.timeBase());
                timeBases.add(s.timeBase());
            }
            String whitelist = url == null ? null : UrlPolicy.protocols(url);
            if (url != null) {
                OpenGuard.check(url, name);
                String moved = OpenedFiles.outputRefusal(url);
                if (moved != null) {
                    throw new MediaException(name + ": refused: " + moved);
                }
                // The muxer's own opens (HLS segments and playlists, rotated files) use the context's whitelist,
                // avio_open2 the dict's.
                Av.check(org.bytedeco.ffmpeg.global.avutil.av_opt_set(ctx, "protocol_whitelist", whitelist, 0),
                        name + ": protocol whitelist");
            }
            if (io != null) {
                ctx.pb(io);
            } else if ((ctx.oformat().flags() & AVFMT_NOFILE) == 0) {
                AVDictionary ioOpts = Av.dict(Map.of("protocol_whitelist", whitelist));
                AVIOContext pb = new AVIOContext(null);
                interrupter.arm(openTimeoutMillis);
                int ret;
                try {
                    ret = avio_open2(pb, url, AVIO_FLAG_WRITE, ctx.interrupt_callback(), ioOpts);
                } finally {
                    av_dict_free(ioOpts);
                }
                if (ret < 0) {
                    throw new MediaException(name + ": cannot open the destination: "
                            + (interrupter.expired() ? "timed out" : Av.error(ret)), ret);
                }
                ctx.pb(pb);
            }
            AVDictionary opts = Av.dict(muxerOptions);
            try {
                interrupter.arm(ioTimeoutMillis);
                Av.check(avformat_write_header(ctx, opts), name + ": cannot write the header");
            } finally {
                av_dict_free(opts);
            }
            headerWritten = true;
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /**
     * Writes a packet of stream {@code index}, timestamps in that stream's source time base (its encoder's, or the
     * copied source's). The packet is rescaled in place and FFmpeg takes its reference (it is blank afterwards): give
     * each muxer its own reference.
     */
    public void write(int index, AVPacket pkt) {
        AVStream st = ctx.streams(index);
        pkt.stream_index(index);
        av_packet_rescale_ts(pkt, timeBases.get(index), st.time_base());
        pkt.pos(-1); // a byte position in a source file means nothing here
        bytes += pkt.size();
        interrupter.arm(ioTimeoutMillis);
        int ret = av_interleaved_write_frame(ctx, pkt);
        if (ret < 0) {
            throw new MediaException(name + ": write failed: " + (interrupter.expired() ? "timed out" : Av.error(ret)), ret);
        }
    }

    /**
     * Sets an option of the muxer itself (its private options) while it runs; for options the muxer reads per
     * packet (the segment muxer's {@code segment_time}).
     */
    public void setPrivateOption(String option, long value) {
        Av.check(av_opt_set_int(ctx.priv_data(), option, value, 0), name + ": muxer option " + option);
    }

    /** Bytes of packets written so far. */
    public long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        try {
            if (headerWritten) {
                interrupter.arm(ioTimeoutMillis);
                av_write_trailer(ctx);
            }
        } finally {
            release();
        }
    }

    private void release() {
        if (ownsIo && (ctx.oformat().flags() & AVFMT_NOFILE) == 0 && ctx.pb() != null && !ctx.pb().isNull()) {
            avio_closep(ctx.pb());
        }
        avformat_free_context(ctx);
    }
}
