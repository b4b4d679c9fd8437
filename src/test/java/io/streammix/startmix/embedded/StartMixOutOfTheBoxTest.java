package io.streammix.startmix.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.startmix.StartMixApi;
import io.streammix.startmix.StartMixTokens;
import io.streammix.worker.LoopbackFeeds;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded server as a new user meets it: started with no options (no input URL template, the default fps cap),
 * it takes the vendor's own sample bodies as they are. Inputs by stream id wait at the default source (a local RTMP
 * server nobody publishes to here) and the mix plays; the reply says which inputs wait. Also the vendor's semantics
 * (a stop by a resent first body, equal and lower seq), its enums and ranges, honest replies and a clean stop.
 */
class StartMixOutOfTheBoxTest {
    static final String TOKEN = "out-of-the-box-token-0123456789";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    // As `exec:java@start-mix-api` with no options, but on free ports (8090/8080 may be taken on a shared machine).
    @RegisterExtension
    static final EmbeddedStartMixServer EMBEDDED = new EmbeddedStartMixServer(TOKEN, null);

    @Test
    void eachSeedBodyAsItIsMixesAndPlaysWithItsStreamIdInputsWaiting() throws Exception {
        List<String> played = new ArrayList<>();
        for (String seed : List.of("seed-section3-verbatim.txt", "seed-java.json", "seed-php.json", "seed-curl.json")) {
            String body = StartMixApiEmbeddedTest.seed(seed);
            JsonNode reply = post("start-mix", body);
            System.out.println("out of the box, " + seed + " -> " + reply);
            assertThat(reply.path("code").asInt()).as(seed + ": " + reply).isZero();
            JsonNode data = reply.path("data");
            assertThat(data.has("id_name") && data.has("seq") && data.has("live_channel")).as("the vendor's fields, always").isTrue();
            assertThat(warnings(reply)).as(seed + ": says where each stream-id input is pulled from and that it waits")
                    .anyMatch(w -> w.matches("MixInput\\[0]\\.stream_id: '[^']+' is pulled from rtmp://127\\.0\\.0\\.1:1935/live/.*"
                            + "the mix does not wait for it.*shows once published"));
            String hdl = data.at("/play/0/hdl_url").asText();
            if (seed.equals("seed-php.json")) {
                byte[] pcm = MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-i", hdl, "-t", "1", "-f", "s16le", "-ac", "1", "-ar", "48000", "-");
                assertThat(pcm.length).as("audio decoded from " + hdl).isGreaterThan(48000);
                played.add(seed + ": " + pcm.length / 2 + " audio samples from " + hdl);
            } else {
                JsonNode video = MediaTools.stream(StartMixApiEmbeddedTest.probe(hdl), "video");
                int w = video.path("width").asInt();
                int h = video.path("height").asInt();
                byte[] rgb = MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-i", hdl, "-frames:v", "5", "-f", "rawvideo",
                        "-pix_fmt", "rgb24", "-");
                assertThat(rgb.length).as("5 pictures decoded from " + hdl).isEqualTo(5 * w * h * 3);
                played.add(seed + ": 5 frames " + w + "x" + h + " " + video.path("codec_name").asText() + " from " + hdl);
            }
            JsonNode stopped = post("stop-mix", body);
            System.out.println("out of the box, stop with " + seed + " -> " + stopped);
            assertThat(stopped.path("code").asInt()).as(stopped.toString()).isZero();
            assertThat(stopped.at("/data/mix_duration").asLong()).isGreaterThanOrEqualTo(1);
        }
        played.forEach(System.out::println);
        assertThat(EMBEDDED.server().store().running()).isEmpty();
    }

    @Test
    void theJavaSamplesRtmpPushIsItsRtmpUrlAndAnOutputWithoutOneSaysWhy() throws Exception {
        JsonNode java = post("start-mix", StartMixApiEmbeddedTest.seed("seed-java.json"));
        assertThat(java.at("/data/play/0/rtmp_url").asText()).isEqualTo("rtmp://127.0.0.1/xxx/os");
        assertThat(java.at("/data/seq").asLong()).as("no seq sent: 0").isZero();
        assertThat(warnings(java)).anyMatch(w -> w.startsWith("seq: missing")).anyMatch(w -> w.startsWith("timestamp: missing"))
                .anyMatch(w -> w.startsWith("MixOutput[0].audio_enc_id: not given, the vendor's default HE-AAC is encoded as AAC-LC"));
        JsonNode php = post("start-mix", StartMixApiEmbeddedTest.seed("seed-php.json"));
        assertThat(php.at("/data/play/0").has("rtmp_url")).isFalse();
        assertThat(warnings(php)).anyMatch(w -> w.startsWith("play[0].rtmp_url: omitted"))
                .anyMatch(w -> w.startsWith("MixOutput[0].audio_enc_id: 0, HE-AAC is encoded as AAC-LC"))
                .anyMatch(w -> w.startsWith("version: 1 accepted, not used"));
    }

    /** A stream-id input that nobody publishes yet: the mix runs on its background, and the input shows once published. */
    @Test
    void aWaitingInputShowsOncePublished(@TempDir Path feedsDir) throws Exception {
        try (LoopbackFeeds feeds = new LoopbackFeeds(feedsDir);
             StartMixServer own = StartMixServer.start(new StartMixServer.Options("127.0.0.1", 0, 0, feedsDir.resolve("out"),
                     feeds.inputUrlTemplate(), Map.of(TOKEN, new StartMixTokens.Binding("default", null, "test"))))) {
            String body = """
                    {"task_id":"late","seq":1,"output_bg_color":65280,
                     "MixInput":[{"stream_id":"late-camera","rect":{"top":0,"left":0,"bottom":240,"right":160}}],
                     "MixOutput":[{"stream_id":"late-mix","bitrate":500000,"fps":15,"width":320,"height":240}]}""";
            JsonNode reply = post(own.port(), "start-mix", body);
            assertThat(reply.path("code").asInt()).as(reply.toString()).isZero();
            String play = reply.at("/data/play/0/hdl_url").asText();
            MediaTools.Picture before = StartMixApiEmbeddedTest.lastPicture(play);
            assertThat(before.is(80, 120, 0x0000FF, 40)).as("waiting: the background " + before.describe(80, 120)).isTrue();
            feeds.camera("late-camera", 0xFF0000, 440, 15);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                    StartMixApiEmbeddedTest.lastPicture(play).is(80, 120, 0xFF0000, 40));
            assertThat(post(own.port(), "stop-mix", body).path("code").asInt()).isZero();
        }
    }

    @Test
    void equalSeqUpdatesLowerIsRefusedAndAResentFirstBodyStopsTheTaskAndItsPlayFilesGo() throws Exception {
        long started = System.nanoTime();
        assertThat(post("start-mix", StartMixApiEmbeddedTest.layout(1, 0)).path("code").asInt()).isZero();
        JsonNode update = post("start-mix", StartMixApiEmbeddedTest.layout(2, 160));
        assertThat(update.path("code").asInt()).as(update.toString()).isZero();
        assertThat(post("start-mix", StartMixApiEmbeddedTest.layout(2, 160)).path("code").asInt()).as("equal seq: a retry").isZero();
        assertThat(warnings(update)).as("a live move reopens nothing").noneMatch(w -> w.startsWith("update:"));
        JsonNode slower = post("start-mix", StartMixApiEmbeddedTest.layout(2, 160).replace("\"fps\":15", "\"fps\":10"));
        assertThat(warnings(slower)).as("says what restarted: " + slower)
                .contains("update: applied live; outputs restarted: layout (the rest live, between two frames)");
        assertThat(post("start-mix", StartMixApiEmbeddedTest.layout(1, 0)).path("code").asInt()).isEqualTo(StartMixApi.STALE_SEQ);
        Path hls = EMBEDDED.dir().resolve("hls").resolve("layout");
        String m3u8 = "http://127.0.0.1:" + EMBEDDED.server().mediaPort() + "/live/layout/index.m3u8";
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(hls.resolve("index.m3u8")) && status(m3u8) == 200);
        Thread.sleep(2000);

        JsonNode stopped = post("stop-mix", StartMixApiEmbeddedTest.layout(1, 0)); // the first body again, seq 1 < 2
        long ran = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.println("stop with the first body after " + ran + " s -> " + stopped);
        assertThat(stopped.path("code").asInt()).as("a stop is not lost to a lower seq: " + stopped).isZero();
        assertThat(warnings(stopped)).anyMatch(w -> w.startsWith("seq: 1 is lower than the task's last seq 2; stopped all the same"));
        assertThat(stopped.at("/data/mix_duration").asLong()).as("final, not a stale figure").isBetween(ran - 3, ran);
        assertThat(EMBEDDED.server().store().running()).isEmpty();
        assertThat(hls).as("the stopped task's HLS playlist and segments are removed").doesNotExist();
        assertThat(status(m3u8)).isEqualTo(404);
        assertThat(status("http://127.0.0.1:" + EMBEDDED.server().mediaPort() + "/live/layout.flv")).isEqualTo(404);
        assertThat(post("stop-mix", StartMixApiEmbeddedTest.layout(1, 0)).path("code").asInt()).isEqualTo(StartMixApi.NOT_FOUND);
    }

    @Test
    void enumsRangesAndTheFpsCapAreCheckedNamingTheFieldAndALargeImageIsSaid() throws Exception {
        String ok = StartMixApiEmbeddedTest.layout(1, 0);
        assertThat(post("start-mix", ok.replace("\"seq\"", "\"with_sound_level\":2,\"seq\"")).path("message").asText())
                .isEqualTo("with_sound_level: must be 0 or 1 (got 2)");
        assertThat(post("start-mix", ok.replace("\"fps\":15", "\"fps\":15,\"audio_enc_id\":3")).path("message").asText())
                .isEqualTo("MixOutput[0].audio_enc_id: must be 0 (HE-AAC), 1 (LC-AAC) or 2 (MP3) (got 3)");
        JsonNode fast = post("start-mix", ok.replace("\"fps\":15", "\"fps\":21"));
        assertThat(fast.path("code").asInt()).isEqualTo(StartMixApi.INVALID);
        assertThat(fast.path("message").asText()).startsWith("MixOutput[0].fps: must be at most 20 on this server (got 21");
        assertThat(post("start-mix", ok.replace("\"seq\"", "\"testenv\":1,\"seq\"")).path("message").asText())
                .startsWith("testenv: 1 asks for the vendor's test environment");
        assertThat(EMBEDDED.server().store().running()).isEmpty();

        // A 36 MB background on an HTTP server (its Content-Length says so; the engine would refuse it as it loads it).
        HttpServer images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        images.createContext("/big.png", ex -> {
            try (ex) {
                ex.getResponseHeaders().set("Content-Type", "image/png");
                ex.sendResponseHeaders(200, 36_000_000);
                byte[] zeros = new byte[1 << 16];
                for (int sent = 0; sent < 36_000_000; sent += zeros.length) {
                    ex.getResponseBody().write(zeros, 0, Math.min(zeros.length, 36_000_000 - sent));
                }
            } catch (java.io.IOException e) {
                // the client hung up: the size check reads the headers only, the loader stops at 5 MB
            }
        });
        images.start();
        String big = "http://127.0.0.1:" + images.getAddress().getPort() + "/big.png";
        JsonNode reply;
        try {
            reply = post("start-mix", ok.replace("\"fps\":15", "\"fps\":20")
                    .replace("\"seq\"", "\"biztype\":\"live\",\"stream_id\":\"x\",\"version\":1,\"foo\":{\"a\":1},\"output_bg_image\":\""
                            + big + "\",\"seq\""));
        } finally {
            images.stop(0);
        }
        System.out.println("fps 20, a 36 MB background, unknown and envelope fields -> " + reply);
        assertThat(reply.path("code").asInt()).as(reply.toString()).isZero();
        assertThat(warnings(reply)).contains("output_bg_image: 36.0 MB, over the 5 MB limit: not shown (a larger image does "
                        + "not take effect, as the vendor's document says); the mix runs without it")
                .anyMatch(w -> w.startsWith("foo: unknown field, ignored"))
                .anyMatch(w -> w.startsWith("biztype: 'live' accepted, not used"))
                .anyMatch(w -> w.startsWith("stream_id: accepted, not used"));
    }

    static List<String> warnings(JsonNode reply) {
        List<String> w = new ArrayList<>();
        reply.path("warnings").forEach(n -> w.add(n.asText()));
        return w;
    }

    static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static JsonNode post(String endpoint, String body) throws Exception {
        return post(EMBEDDED.server().port(), endpoint, body);
    }

    static JsonNode post(int port, String endpoint, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cgi/" + endpoint
                        + "?access_token=" + TOKEN)).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return StartMixApiEmbeddedTest.JSON.readTree(r.body());
    }
}
