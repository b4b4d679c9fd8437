package io.streammix.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streammix.worker.NativeSetup;
import io.streammix.worker.media.Decoder;
import io.streammix.worker.media.Demuxer;
import io.streammix.worker.media.Interrupter;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/**
 * Role {@code probe}: plays a URL the way a player in the cluster would, with the worker's own FFmpeg code, and
 * prints one JSON line of what it decoded -- each stream's codec, the picture size, and frames decoded -- so that a
 * play URL from {@code status.play} can be checked from inside the cluster with nothing but the operator's image:
 *
 * <pre>kubectl run probe --rm -i --restart=Never --image=IMAGE -- probe URL [SECONDS]</pre>
 *
 * It reads {@code SECONDS} (default 3) of wall time and exits 0 when at least one video or audio frame was decoded,
 * 1 otherwise. Threads: the caller's only.
 */
public final class PlayProbe {
    /** Sorted keys: one stable line a script or a test can match. */
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private PlayProbe() {
    }

    public static void main(String... args) throws JsonProcessingException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: probe URL [SECONDS]");
            System.exit(2);
        }
        NativeSetup.prepare(System.getenv());
        NativeSetup.quietFfmpeg(System.getenv());
        long seconds = args.length == 2 ? Long.parseLong(args[1]) : 3;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", args[0]);
        try {
            out.putAll(probe(args[0], seconds * 1000));
        } catch (RuntimeException e) {
            out.put("error", e.getMessage());
        }
        System.out.println(JSON.writeValueAsString(out));
        boolean decoded = out.values().stream().anyMatch(v -> v instanceof Map<?, ?> m && m.get("frames") instanceof Long n && n > 0);
        System.exit(decoded ? 0 : 1);
    }

    static Map<String, Object> probe(String url, long millis) {
        Map<String, Object> result = new LinkedHashMap<>();
        try (Interrupter interrupter = new Interrupter();
             Demuxer demuxer = Demuxer.open(url, null, Map.of(), interrupter, 10_000, 10_000, "probe")) {
            int video = demuxer.bestStream(AVMEDIA_TYPE_VIDEO);
            int audio = demuxer.bestStream(AVMEDIA_TYPE_AUDIO);
            long[] frames = new long[2];
            Decoder v = video >= 0 ? new Decoder(demuxer.stream(video), "probe video") : null;
            Decoder a = audio >= 0 ? new Decoder(demuxer.stream(audio), "probe audio") : null;
            AVPacket pkt = av_packet_alloc();
            try {
                long deadline = System.nanoTime() + millis * 1_000_000;
                while (System.nanoTime() < deadline && demuxer.read(pkt, "probe")) {
                    if (v != null && pkt.stream_index() == video) {
                        v.decode(pkt, f -> frames[0]++, "probe video");
                    } else if (a != null && pkt.stream_index() == audio) {
                        a.decode(pkt, f -> frames[1]++, "probe audio");
                    }
                    av_packet_unref(pkt);
                }
            } finally {
                av_packet_free(pkt);
                if (v != null) {
                    v.close();
                }
                if (a != null) {
                    a.close();
                }
            }
            result.put("format", demuxer.formatName());
            if (video >= 0) {
                AVCodecParameters p = demuxer.stream(video).codecpar();
                result.put("video", Map.of("codec", avcodec_get_name(p.codec_id()).getString(), "width", (long) p.width(),
                        "height", (long) p.height(), "frames", frames[0]));
            }
            if (audio >= 0) {
                AVCodecParameters p = demuxer.stream(audio).codecpar();
                result.put("audio", Map.of("codec", avcodec_get_name(p.codec_id()).getString(),
                        "sampleRate", (long) p.sample_rate(), "frames", frames[1]));
            }
        }
        return result;
    }
}
