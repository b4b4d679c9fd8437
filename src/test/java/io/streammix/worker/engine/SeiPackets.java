package io.streammix.worker.engine;

import io.streammix.worker.EngineRun;
import io.streammix.worker.media.Av;
import io.streammix.worker.media.Demuxer;
import io.streammix.worker.media.Interrupter;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/**
 * Reads the user_data_unregistered SEI of every video packet of whatever FFmpeg demuxes (FLV file or live HTTP-FLV,
 * MPEG-TS, MP4/fMP4), from the packet bytes as the container delivers them ({@link SeiBitstream}): what a player
 * that parses SEI itself gets. {@link SeiReader} is the other view, through the decoder's side data.
 * The outputs have no B-frames (tune zerolatency), so packet order is picture order.
 */
final class SeiPackets {
    static {
        EngineRun.prepare();
    }

    /**
     * One video packet: its pts in seconds, the container's keyframe flag, whether its NAL units came with start codes
     * (Annex B) or length prefixes, the NAL unit types in order, and its user_data_unregistered messages in order.
     */
    record Frame(double time, boolean key, boolean annexB, List<Integer> nalTypes, List<SeiBitstream.Message> messages) {
        /** The bodies of the messages with this UUID (more than one would be a duplicate). */
        List<byte[]> bodies(UUID uuid) {
            return messages.stream().filter(m -> m.uuid().equals(uuid)).map(SeiBitstream.Message::body).toList();
        }

        /** The body with this UUID as UTF-8, or null; fails when the frame has it more than once. */
        String text(UUID uuid) {
            List<byte[]> b = bodies(uuid);
            if (b.size() > 1) {
                throw new AssertionError("frame at " + time + " s carries " + uuid + " " + b.size() + " times: " + messages);
            }
            return b.isEmpty() ? null : new String(b.get(0), StandardCharsets.UTF_8);
        }
    }

    /** What was read: the container, the video codec, and the packets. */
    record Read(String format, boolean hevc, int lengthSize, List<Frame> frames) {
    }

    private SeiPackets() {
    }

    /** Reads a whole file (or finite URL). */
    static Read read(String url) {
        List<Frame> frames = new ArrayList<>();
        try (Interrupter in = new Interrupter()) {
            Read r = read(url, null, Map.of(), in, frames::add);
            return new Read(r.format(), r.hevc(), r.lengthSize(), frames);
        }
    }

    /**
     * Reads until the end of the input or until {@code interrupter} is stopped, handing each video packet to
     * {@code sink} as it comes (for live streams).
     */
    static Read read(String url, String format, Map<String, String> options, Interrupter interrupter, Consumer<Frame> sink) {
        try (Demuxer d = Demuxer.open(url, format, options, interrupter, 10_000, 10_000, "sei-packets")) {
            int v = d.bestStream(AVMEDIA_TYPE_VIDEO);
            if (v < 0) {
                throw new AssertionError("no video stream in " + url);
            }
            AVStream st = d.stream(v);
            AVCodecParameters par = st.codecpar();
            boolean hevc = par.codec_id() == AV_CODEC_ID_HEVC;
            if (!hevc && par.codec_id() != AV_CODEC_ID_H264) {
                throw new AssertionError("not H.264/H.265: codec id " + par.codec_id());
            }
            byte[] extradata = new byte[par.extradata_size()];
            if (extradata.length > 0) {
                par.extradata().capacity(extradata.length).get(extradata);
            }
            int lengthSize = SeiBitstream.lengthSize(extradata, hevc);
            AVPacket pkt = av_packet_alloc();
            try {
                while (!interrupter.stopped() && d.read(pkt, "sei-packets")) {
                    try {
                        if (pkt.stream_index() == v && pkt.size() > 0) {
                            sink.accept(frame(pkt, st, hevc, lengthSize));
                        }
                    } finally {
                        av_packet_unref(pkt);
                    }
                }
            } catch (RuntimeException e) {
                if (!interrupter.stopped()) {
                    throw e;
                }
            } finally {
                av_packet_free(pkt);
            }
            return new Read(d.formatName(), hevc, lengthSize, List.of());
        }
    }

    private static Frame frame(AVPacket pkt, AVStream st, boolean hevc, int lengthSize) {
        byte[] data = new byte[pkt.size()];
        pkt.data().capacity(data.length).get(data);
        SeiBitstream.Nals nals;
        try {
            nals = SeiBitstream.split(data, lengthSize);
        } catch (IllegalArgumentException e) {
            if (lengthSize == 0) {
                throw e;
            }
            // Start codes in a length-prefixed stream: a muxer that did not convert; the frame says annexB.
            nals = SeiBitstream.split(data, 0);
        }
        List<Integer> types = new ArrayList<>();
        List<SeiBitstream.Message> messages = new ArrayList<>();
        for (byte[] nal : nals.units()) {
            types.add(SeiBitstream.type(nal, hevc));
            if (SeiBitstream.isSei(nal, hevc)) {
                messages.addAll(SeiBitstream.userData(nal, hevc));
            }
        }
        return new Frame(Av.seconds(pkt.pts(), st.time_base()), (pkt.flags() & AV_PKT_FLAG_KEY) != 0, nals.annexB(),
                List.copyOf(types), List.copyOf(messages));
    }

    /** A live stream read on its own thread while the test goes on. */
    static final class Live implements AutoCloseable {
        private final List<Frame> frames = new CopyOnWriteArrayList<>();
        private final Interrupter interrupter = new Interrupter();
        private final Thread thread;
        private volatile Read read;
        private volatile Throwable failure;

        Live(String url, String format, Map<String, String> options) {
            thread = new Thread(() -> {
                try {
                    // Not fflags=nobuffer: it drops the packets read while probing the streams (the first GOP).
                    read = read(url, format, options, interrupter, frames::add);
                } catch (Throwable t) {
                    if (!interrupter.stopped()) {
                        failure = t;
                    }
                }
            }, "sei-live");
            thread.start();
        }

        List<Frame> frames() {
            return frames;
        }

        Throwable failure() {
            return failure;
        }

        /** Stops reading; the container, codec and framing seen (null when it never opened). */
        Read stop() throws InterruptedException {
            interrupter.stop();
            thread.join(15_000);
            Read r = read;
            return r == null ? null : new Read(r.format(), r.hevc(), r.lengthSize(), List.copyOf(frames));
        }

        @Override
        public void close() throws InterruptedException {
            interrupter.stop();
            thread.join(15_000);
            interrupter.close();
        }
    }
}
