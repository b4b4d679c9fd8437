package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
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

/**
 * Writes already encoded streams (stream copy, no encoder): each output stream takes the codec parameters of a
 * source stream, and packets arrive in that source's time base. {@link #close()} writes the trailer. The twin of
 * {@link Muxer}, which takes its streams from encoders.
 */
public final class CopyMuxer implements AutoCloseable {
    /** One stream to copy: its codec parameters and the time base of the packets given to {@link #write}. */
    public record Source(AVCodecParameters parameters, AVRational timeBase) {
    }

    private final AVFormatContext ctx;
    private final Interrupter interrupter;
    private final List<AVRational> timeBases = new ArrayList<>();
    private final long ioTimeoutMillis;
    private final String name;
    private boolean headerWritten;
    private long bytes;

    public CopyMuxer(String format, String url, List<Source> sources, Map<String, String> muxerOptions,
                     Interrupter interrupter, long ioTimeoutMillis, String name) {
        this.interrupter = interrupter;
        this.ioTimeoutMillis = ioTimeoutMillis;
        this.name = name;
        AVFormatContext c = new AVFormatContext(null);
        Av.check(avformat_alloc_output_context2(c, null, format, url), name + ": muxer " + format);
        ctx = c;
        try {
            interrupter.install(ctx.interrupt_callback());
            for (Source s : sources) {
                AVStream st = Av.notNull(avformat_new_stream(ctx, null), name + ": cannot add a stream");
                Av.check(avcodec_parameters_copy(st.codecpar(), s.parameters()), name + ": stream parameters");
                // The source container's codec tag may mean nothing in this one: let the muxer choose.
                st.codecpar().codec_tag(0);
                st.time_base(s.timeBase());
                timeBases.add(s.timeBase());
            }
            if ((ctx.oformat().flags() & AVFMT_NOFILE) == 0) {
                AVIOContext pb = new AVIOContext(null);
                interrupter.arm(ioTimeoutMillis);
                int ret = avio_open2(pb, url, AVIO_FLAG_WRITE, ctx.interrupt_callback(), (AVDictionary) null);
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

    /** Writes a packet of stream {@code index}, timestamps in that source's time base; the packet is consumed. */
    public void write(int index, AVPacket pkt) {
        pkt.stream_index(index);
        av_packet_rescale_ts(pkt, timeBases.get(index), ctx.streams(index).time_base());
        pkt.pos(-1);
        bytes += pkt.size();
        interrupter.arm(ioTimeoutMillis);
        int ret = av_interleaved_write_frame(ctx, pkt);
        if (ret < 0) {
            throw new MediaException(name + ": write failed: " + (interrupter.expired() ? "timed out" : Av.error(ret)), ret);
        }
    }

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
        if ((ctx.oformat().flags() & AVFMT_NOFILE) == 0 && ctx.pb() != null && !ctx.pb().isNull()) {
            avio_closep(ctx.pb());
        }
        avformat_free_context(ctx);
    }
}
