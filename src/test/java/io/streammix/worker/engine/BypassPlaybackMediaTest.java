package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerRuntime;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/**
 * Bypass outputs are played at the same URLs as mixed ones: every output is published on the worker's media port
 * under its key (HTTP-FLV {@code /live/<key>.flv} and HLS {@code /live/<key>/index.m3u8}), remuxed from the input's
 * packets, while an output with a URL still writes there.
 */
class BypassPlaybackMediaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void bothPlayUrlsOfEveryBypassOutputPlayTheInput() throws Exception {
        EngineRun.prepare();
        // Red left half, blue right half; a 1 s GOP, so HLS segments come every 2 s.
        Path in = dir.resolve("in.mp4");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=red:size=320x240:rate=25,drawbox=x=160:y=0:w=160:h=240:color=blue:t=fill",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4", "-pix_fmt", "yuv420p",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-b:a", "96k", in.toString());
        MixInput cam = input("cam", in.toString(), 0, 0, 320, 240, 0);
        cam.loop = true;
        MixOutput show = MediaTools.fileOutput("show", dir.resolve("unused"), 640, 360, 30);
        show.url = null;
        show.streamId = "show";
        MixOutput rec = MediaTools.fileOutput("rec", dir.resolve("rec.flv"), 640, 360, 30);
        MixTaskSpec spec = MediaTools.spec(List.of(cam), List.of(show, rec));
        spec.bypass = true;

        try (WorkerRuntime rt = WorkerRuntime.start(new SpecSubmission(1, spec), new MixEngine.Config(dir, null), "127.0.0.1", 0, 0, "t")) {
            String media = "http://127.0.0.1:" + rt.mediaPort() + "/live/";
            for (String key : List.of("show", "rec")) {
                String hls = media + key + "/index.m3u8";
                await().atMost(Duration.ofSeconds(20)).until(() -> segments(get(hls)) >= 2);
                for (String url : List.of(media + key + ".flv", hls)) {
                    JsonNode probe = JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-print_format", "json",
                            "-show_streams", url));
                    JsonNode v = MediaTools.stream(probe, "video");
                    assertThat(v).as(url).isNotNull();
                    assertThat(v.get("codec_name").asText()).as(url).isEqualTo("h264");
                    assertThat(v.get("width").asInt()).as("the input's size, not the output's settings: " + url).isEqualTo(320);
                    assertThat(v.get("height").asInt()).as(url).isEqualTo(240);
                    JsonNode a = MediaTools.stream(probe, "audio");
                    assertThat(a.get("codec_name").asText()).as(url).isEqualTo("aac");
                    assertThat(a.get("sample_rate").asInt()).as(url).isEqualTo(48000);
                    // 25 pictures decoded from the play URL, each the input's: red left, blue right.
                    List<String> live = url.endsWith(".m3u8") ? List.of("-live_start_index", "-1") : List.of();
                    List<String> args = new ArrayList<>(List.of("-loglevel", "error"));
                    args.addAll(live);
                    args.addAll(List.of("-i", url, "-frames:v", "25", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"));
                    byte[] rgb = MediaTools.run(MediaTools.FFMPEG, args.toArray(String[]::new));
                    int size = 320 * 240 * 3;
                    assertThat(rgb.length).as("25 decoded pictures from " + url).isEqualTo(25 * size);
                    for (int i = 0; i < 25; i += 8) {
                        MediaTools.Picture p = new MediaTools.Picture(320, 240, java.util.Arrays.copyOfRange(rgb, i * size, (i + 1) * size));
                        assertThat(p.is(80, 120, 0xFF0000, 40)).as(url + " picture " + i + " " + p.describe(80, 120)).isTrue();
                        assertThat(p.is(240, 120, 0x0000FF, 40)).as(url + " picture " + i + " " + p.describe(240, 120)).isTrue();
                    }
                }
            }
            assertThat(rt.engine().report().outputs()).extracting(WorkerReport.Output::state).containsOnly(WorkerReport.Output.LIVE);
            assertThat(rt.engine().report().outputs().get(0).files()).as("no URL: played from the port only").isNull();
            assertThat(rt.engine().report().outputs().get(1).files()).containsExactly(dir.resolve("rec.flv").toString());
            assertThat(rt.engine().report().warnings()).isNull();
        }
        // The output with a URL wrote its file meanwhile, the input's packets unchanged (the loop repeats them).
        List<String> source = BypassMediaTest.packets(in).get(AVMEDIA_TYPE_VIDEO).stream().map(BypassMediaTest.Pkt::md5).toList();
        List<String> written = BypassMediaTest.packets(dir.resolve("rec.flv")).get(AVMEDIA_TYPE_VIDEO).stream()
                .map(BypassMediaTest.Pkt::md5).toList();
        assertThat(written.size()).isGreaterThan(source.size());
        assertThat(written.subList(0, source.size())).isEqualTo(source);
        assertThat(dir.resolve("show.mp4")).as("an output without a URL writes no file").doesNotExist();
    }

    /**
     * The input (RTMP) comes back with other stream parameters: the media-port streams start over with the new
     * header, from a keyframe, at both play URLs.
     */
    @Test
    void thePlayUrlsStartOverWhenTheInputChangesParameters() throws Exception {
        EngineRun.prepare();
        Path big = dir.resolve("big.flv");
        Path small = dir.resolve("small.flv");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=red:size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", big.toString());
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=green:size=160x120:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", small.toString());
        int port = MediaTools.freePort();
        Process source = serve(big, port);
        MixOutput show = MediaTools.fileOutput("show", dir.resolve("unused"), 640, 360, 30);
        show.url = null;
        show.streamId = "show";
        MixTaskSpec spec = MediaTools.spec(List.of(input("cam", "rtmp://127.0.0.1:" + port + "/live/src", 0, 0, 320, 240, 0)), List.of(show));
        spec.bypass = true;
        MediaTools.awaitListening(port, Duration.ofSeconds(10));
        try (WorkerRuntime rt = WorkerRuntime.start(new SpecSubmission(1, spec), new MixEngine.Config(dir, null), "127.0.0.1", 0, 0, "t")) {
            String flv = "http://127.0.0.1:" + rt.mediaPort() + "/live/show.flv";
            String hls = "http://127.0.0.1:" + rt.mediaPort() + "/live/show/index.m3u8";
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> width(flv) == 320);
            source.destroy();
            source.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            source = serve(small, port);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> width(flv) == 160);
            JsonNode packets = JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-select_streams", "v",
                    "-read_intervals", "%+#5", "-show_packets", "-show_entries", "packet=flags", "-of", "json", flv));
            assertThat(packets.get("packets").get(0).get("flags").asText()).as("first video packet after the change").startsWith("K");
            byte[] rgb = MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-i", flv, "-frames:v", "1", "-f", "rawvideo",
                    "-pix_fmt", "rgb24", "-");
            MediaTools.Picture p = new MediaTools.Picture(160, 120, rgb);
            assertThat(rgb.length).isEqualTo(160 * 120 * 3);
            assertThat(p.is(80, 60, 0x008000, 40)).as("the new input's picture " + p.describe(80, 60)).isTrue();
            // HLS starts over too: its playlist lists only segments of the new stream.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> segments(get(hls)) >= 1
                    && MediaTools.stream(JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-print_format", "json",
                    "-show_streams", hls)), "video").get("width").asInt() == 160);
        } finally {
            source.destroy();
        }
    }

    /** Serves a file over RTMP (the bundled ffmpeg as a one-connection server), looping. */
    private Process serve(Path file, int port) throws Exception {
        return MediaTools.start(dir.resolve("src-" + System.nanoTime() + ".log"), "-loglevel", "error", "-re", "-stream_loop", "-1",
                "-i", file.toString(), "-c", "copy", "-f", "flv", "-listen", "1", "rtmp://127.0.0.1:" + port + "/live/src");
    }

    private static int width(String url) throws Exception {
        JsonNode v = MediaTools.stream(JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-print_format", "json",
                "-show_streams", url)), "video");
        return v == null ? -1 : v.get("width").asInt();
    }

    private int segments(String playlist) {
        return playlist == null ? 0 : (int) playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : null;
    }
}
