package io.streammix.worker.engine;

import io.streammix.worker.EngineRun;
import io.streammix.worker.engine.sei.SeiMessages;
import io.streammix.worker.media.Decoder;
import io.streammix.worker.media.Demuxer;
import io.streammix.worker.media.Interrupter;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrameSideData;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.bytedeco.ffmpeg.avutil.AVFrame.AV_FRAME_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_SEI_UNREGISTERED;

/**
 * Reads back the SEI of a video file the way a player does: decodes it with FFmpeg, whose H.264/H.265 decoders
 * export every user_data_unregistered SEI as AV_FRAME_DATA_SEI_UNREGISTERED side data of the frame it came with.
 */
final class SeiReader {
    static {
        EngineRun.prepare();
    }

    /** One decoded frame: its time, whether it is a keyframe, and its user_data_unregistered payloads by UUID. */
    record Frame(double time, boolean key, Map<UUID, byte[]> sei) {
        String text(UUID uuid) {
            byte[] b = sei.get(uuid);
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }
    }

    private SeiReader() {
    }

    static List<Frame> read(Path file) {
        List<Frame> frames = new ArrayList<>();
        try (Interrupter in = new Interrupter();
             Demuxer d = Demuxer.open(file.toString(), null, Map.of(), in, 5000, 5000, "sei-reader")) {
            int v = d.bestStream(AVMEDIA_TYPE_VIDEO);
            try (Decoder dec = new Decoder(d.stream(v), "sei-reader")) {
                AVPacket pkt = av_packet_alloc();
                try {
                    while (d.read(pkt, "sei-reader")) {
                        if (pkt.stream_index() == v) {
                            dec.decode(pkt, f -> frames.add(frame(f, dec)), "sei-reader");
                        }
                        av_packet_unref(pkt);
                    }
                    dec.decode(null, f -> frames.add(frame(f, dec)), "sei-reader");
                } finally {
                    av_packet_free(pkt);
                }
            }
        }
        return frames;
    }

    private static Frame frame(org.bytedeco.ffmpeg.avutil.AVFrame f, Decoder dec) {
        Map<UUID, byte[]> sei = new java.util.LinkedHashMap<>();
        for (int i = 0; i < f.nb_side_data(); i++) {
            AVFrameSideData sd = f.side_data(i);
            if (sd.type() != AV_FRAME_DATA_SEI_UNREGISTERED) {
                continue;
            }
            byte[] payload = new byte[(int) sd.size()];
            sd.data().capacity(sd.size()).get(payload);
            UUID uuid = SeiMessages.uuidOf(payload);
            if (uuid != null) {
                sei.put(uuid, SeiMessages.bodyOf(payload));
            }
        }
        double t = f.best_effort_timestamp() * dec.timeBase().num() / (double) dec.timeBase().den();
        return new Frame(t, (f.flags() & AV_FRAME_FLAG_KEY) != 0, sei);
    }
}
