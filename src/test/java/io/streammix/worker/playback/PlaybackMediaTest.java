package io.streammix.worker.playback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerRuntime;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.MixEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An output given by streamId only, played back through the worker's media port as the operator's default play URLs
 * say: HLS (playlist and segments fetched over HTTP, then played by FFmpeg's HLS demuxer from the port) and HTTP-FLV
 * (read live by FFmpeg's FLV demuxer over HTTP, decoded), including a client that joins late.
 */
class PlaybackMediaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    private WorkerRuntime rt;
    private String base;

    @BeforeEach
    void start() throws Exception {
        EngineRun.prepare();
        MixOutput out = MediaTools.fileOutput("show", dir.resolve("unused"), 320, 240, 15);
        out.url = null;
        out.streamId = "show";
        MixTaskSpec spec = MediaTools.spec(List.of(
                input("red", "synthetic:color?color=#FF0000&size=160x240&fps=15&tone=440", 0, 0, 160, 240, 0)),
                List.of(out, MediaTools.fileOutput("rec", dir.resolve("rec.mp4"), 160, 120, 10), radio()));
        spec.background = new Background("#0000FF", null);
        rt = WorkerRuntime.start(new SpecSubmission(1, spec), new MixEngine.Config(dir, null), "127.0.0.1", 0, 0, "t");
        base = "http://127.0.0.1:" + rt.mediaPort() + "/live/show";
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    @Test
    void hlsIsServedByTheMediaPort() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(base + "/index.m3u8").statusCode() == 200
                && segments(get(base + "/index.m3u8").body()).size() >= 3);
        HttpResponse<String> playlist = get(base + "/index.m3u8");
        assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(playlist.body()).startsWith("#EXTM3U").contains("#EXT-X-TARGETDURATION:").doesNotContain("#EXT-X-ENDLIST");
        for (String seg : segments(playlist.body())) {
            HttpResponse<byte[]> s = http.send(HttpRequest.newBuilder(URI.create(base + "/" + seg)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(s.statusCode()).as(seg).isEqualTo(200);
            assertThat(s.headers().firstValue("Content-Type")).hasValue("video/mp2t");
            assertThat(s.body()[0]).as("MPEG-TS sync byte").isEqualTo((byte) 0x47);
            Path local = Files.write(dir.resolve(seg), s.body());
            JsonNode probe = MediaTools.probe(local);
            assertThat(MediaTools.stream(probe, "video").get("codec_name").asText()).isEqualTo("h264");
            assertThat(MediaTools.stream(probe, "audio").get("codec_name").asText()).isEqualTo("aac");
            assertThat(probe.get("format").get("duration").asDouble()).as("short segments").isBetween(0.5, 3.5);
        }
        // FFmpeg's HLS player, straight from the port (from the newest segment): the picture is the layout, red left
        // half, blue background right.
        JsonNode v = MediaTools.stream(JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error",
                "-print_format", "json", "-show_streams", base + "/index.m3u8")), "video");
        assertThat(v.get("width").asInt()).isEqualTo(320);
        assertThat(v.get("height").asInt()).isEqualTo(240);
        MediaTools.Picture p = firstPicture("-live_start_index", "-1", "-i", base + "/index.m3u8");
        assertThat(p.is(80, 120, 0xFF0000, 40)).as(p.describe(80, 120)).isTrue();
        assertThat(p.is(240, 120, 0x0000FF, 40)).as(p.describe(240, 120)).isTrue();

        assertThat(get(base + "/../../etc/passwd").statusCode()).isEqualTo(404);
        assertThat(get(base + "/nothing.m3u8").statusCode()).isEqualTo(404);
        assertThat(get("http://127.0.0.1:" + rt.mediaPort() + "/live/other/index.m3u8").statusCode()).isEqualTo(404);
    }

    @Test
    void httpFlvIsLiveAndALateClientStartsOnAKeyframe() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> rt.engine().report().outputs().get(0).frames() > 15);
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(base + ".flv")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValue("video/x-flv");

        // A first client reads 2 s of the live stream and decodes it.
        Path first = dir.resolve("first.flv");
        MediaTools.ffmpeg("-i", base + ".flv", "-t", "2", "-c", "copy", first.toString());
        JsonNode probe = MediaTools.probe(first);
        JsonNode v = MediaTools.stream(probe, "video");
        assertThat(v.get("codec_name").asText()).isEqualTo("h264");
        assertThat(v.get("width").asInt()).isEqualTo(320);
        assertThat(v.get("height").asInt()).isEqualTo(240);
        assertThat(v.get("r_frame_rate").asText()).isEqualTo("15/1");
        JsonNode a = MediaTools.stream(probe, "audio");
        assertThat(a.get("codec_name").asText()).isEqualTo("aac");
        assertThat(a.get("channels").asInt()).isEqualTo(2);
        MediaTools.Picture p = MediaTools.frameAt(first, 0.5, 320, 240);
        assertThat(p.is(80, 120, 0xFF0000, 40)).as(p.describe(80, 120)).isTrue();

        // A client joining seconds later (mid-GOP, most likely) still starts with a keyframe, near the live edge.
        Thread.sleep(2700);
        double mixNow = rt.engine().mixSeconds();
        JsonNode packets = JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-select_streams", "v",
                "-read_intervals", "%+#10", "-show_packets", "-show_entries", "packet=pts_time,flags", "-of", "json",
                base + ".flv"));
        JsonNode firstPacket = packets.get("packets").get(0);
        assertThat(firstPacket.get("flags").asText()).as("first video packet of a late client").startsWith("K");
        assertThat(firstPacket.get("pts_time").asDouble()).as("from the last GOP, not from the start")
                .isBetween(mixNow - 3.5, mixNow + 1.0);
        MediaTools.Picture lp = firstPicture("-i", base + ".flv");
        assertThat(lp.is(80, 120, 0xFF0000, 40)).as("first picture of the late client " + lp.describe(80, 120)).isTrue();
        assertThat(rt.engine().report().state()).isEqualTo(WorkerReport.RUNNING);
    }

    @Test
    void anOutputWithAUrlIsAlsoPlayableByItsName() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> rt.engine().report().outputs().get(1).frames() > 10);
        JsonNode probe = JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-print_format", "json",
                "-show_streams", "http://127.0.0.1:" + rt.mediaPort() + "/live/rec.flv"));
        JsonNode v = MediaTools.stream(probe, "video");
        assertThat(v.get("width").asInt()).isEqualTo(160);
        assertThat(v.get("height").asInt()).isEqualTo(120);
        assertThat(rt.engine().report().outputs().get(1).files()).containsExactly(dir.resolve("rec.mp4").toString());
        assertThat(rt.engine().report().warnings()).isNull();
    }

    /** An audio-only output given by streamId. */
    private static MixOutput radio() {
        MixOutput o = new MixOutput();
        o.streamId = "radio";
        o.audio = new io.streammix.api.v1alpha1.AudioEncoding();
        o.audio.channels = 1;
        return o;
    }

    @Test
    void anAudioOnlyOutputIsPlayedWithoutAVideoTrack() throws Exception {
        String radio = "http://127.0.0.1:" + rt.mediaPort() + "/live/radio";
        await().atMost(Duration.ofSeconds(20)).until(() -> get(radio + "/index.m3u8").statusCode() == 200
                && !segments(get(radio + "/index.m3u8").body()).isEmpty());
        for (String url : List.of(radio + ".flv", radio + "/index.m3u8")) {
            JsonNode probe = JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-print_format", "json",
                    "-show_streams", url));
            assertThat(MediaTools.stream(probe, "video")).as(url).isNull();
            JsonNode a = MediaTools.stream(probe, "audio");
            assertThat(a.get("codec_name").asText()).isEqualTo("aac");
            assertThat(a.get("channels").asInt()).isEqualTo(1);
        }
        // The 440 Hz tone of the input, read live over HTTP-FLV.
        byte[] pcm = MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-i", radio + ".flv", "-t", "1", "-ac", "1",
                "-ar", "48000", "-f", "s16le", "-");
        short[] s = new short[pcm.length / 2];
        java.nio.ByteBuffer.wrap(pcm).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        assertThat(s.length).isGreaterThan(40000);
        assertThat(MediaTools.tone(s, 440)).isGreaterThan(5 * MediaTools.tone(s, 1000));
    }

    /** The first picture FFmpeg decodes from these input arguments, as RGB. */
    private static MediaTools.Picture firstPicture(String... input) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-loglevel", "error"));
        args.addAll(List.of(input));
        args.addAll(List.of("-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"));
        byte[] rgb = MediaTools.run(MediaTools.FFMPEG, args.toArray(String[]::new));
        assertThat(rgb.length).as("one decoded 320x240 picture").isEqualTo(320 * 240 * 3);
        return new MediaTools.Picture(320, 240, rgb);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> segments(String playlist) {
        return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }
}
