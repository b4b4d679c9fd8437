package io.streammix.worker.engine.bypass;

import io.streammix.worker.media.Muxer;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_free;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/**
 * The streams of one connection of a bypassed input: their codec parameters (copied, so they outlive the demuxer)
 * and time bases. Two sessions with the same {@link #signature()} can follow each other in one output file or
 * stream; a different signature (another codec, size, sample rate or codec configuration) needs a new header.
 */
final class BypassSession implements AutoCloseable {
    /** One stream: whether it is video, and what a muxer needs to copy it. */
    record Stream(boolean video, Muxer.CopySource source) {
    }

    private final List<Stream> streams = new ArrayList<>();
    private final String signature;

    /** @param inputStreams the demuxer's streams to relay, video first */
    BypassSession(List<AVStream> inputStreams) {
        StringBuilder sig = new StringBuilder();
        for (AVStream st : inputStreams) {
            AVCodecParameters p = avcodec_parameters_alloc();
            avcodec_parameters_copy(p, st.codecpar());
            AVRational tb = new AVRational().num(st.time_base().num()).den(st.time_base().den());
            streams.add(new Stream(p.codec_type() == AVMEDIA_TYPE_VIDEO, new Muxer.CopySource(p, tb)));
            sig.append(p.codec_type()).append(':').append(p.codec_id()).append(':').append(p.width()).append('x')
                    .append(p.height()).append(':').append(p.format()).append(':').append(p.sample_rate()).append(':')
                    .append(p.ch_layout().nb_channels()).append(':').append(extradata(p)).append(';');
        }
        signature = sig.toString();
    }

    private static String extradata(AVCodecParameters p) {
        int n = p.extradata_size();
        if (n <= 0 || p.extradata() == null) {
            return "";
        }
        byte[] b = new byte[n];
        new BytePointer(p.extradata()).capacity(n).get(b);
        return Integer.toHexString(java.util.Arrays.hashCode(b)) + "/" + n;
    }

    List<Stream> streams() {
        return streams;
    }

    Stream stream(int i) {
        return streams.get(i);
    }

    boolean hasVideo() {
        return streams.stream().anyMatch(Stream::video);
    }

    String signature() {
        return signature;
    }

    @Override
    public void close() {
        for (Stream s : streams) {
            avcodec_parameters_free(s.source().parameters());
            s.source().timeBase().close();
        }
    }
}
