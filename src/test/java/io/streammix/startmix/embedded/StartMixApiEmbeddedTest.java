package io.streammix.startmix.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.startmix.StartMixApi;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default: the same start-mix API with each task mixed in this process by the worker engine, checked in
 * what its play URLs play (decoded with the bundled ffmpeg): the seed bodies mix, an update with a higher seq moves
 * the picture of the running mix, a lower seq changes nothing, stop ends the mix and its play URL.
 */
class StartMixApiEmbeddedTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "embedded-test-token-0123456789";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final EmbeddedStartMixServer EMBEDDED = new EmbeddedStartMixServer(TOKEN, "synthetic:testsrc?size=320x240&fps=15");

    @Test
    void seedBodiesMixAndTheirPlayUrlsPlay() throws Exception {
        JsonNode php = post("start-mix", seed("seed-php.json"));
        System.out.println("embedded, PHP sample -> " + php);
        assertThat(php.path("code").asInt()).as(php.toString()).isZero();
        String phpUrl = php.at("/data/play/0/hdl_url").asText();
        assertThat(phpUrl).isEqualTo("http://127.0.0.1:" + EMBEDDED.server().mediaPort() + "/live/xxxxx.flv");
        JsonNode probe = probe(phpUrl);
        assertThat(MediaTools.stream(probe, "audio")).as("the 1x1 recipe: audio").isNotNull();
        assertThat(MediaTools.stream(probe, "video")).as("and no picture").isNull();
        assertThat(post("stop-mix", seed("seed-php.json")).path("code").asInt()).isZero();

        JsonNode section3 = post("start-mix", seed("seed-section3.json"));
        System.out.println("embedded, section 3 body -> " + section3);
        assertThat(section3.path("code").asInt()).as(section3.toString()).isZero();
        assertThat(section3.at("/data/play")).hasSize(2);
        JsonNode video = MediaTools.stream(probe(section3.at("/data/play/1/hdl_url").asText()), "video");
        assertThat(video.path("codec_name").asText()).as("extra_params video_encode h265").isEqualTo("hevc");
        assertThat(video.path("width").asInt()).isEqualTo(480);
        assertThat(video.path("height").asInt()).isEqualTo(640);
        assertThat(post("stop-mix", "{\"task_id\":\"mult_output_task_id\"}").path("code").asInt()).isZero();

        JsonNode curl = post("start-mix", seed("seed-curl.json"));
        System.out.println("embedded, curl sample -> " + curl);
        assertThat(curl.path("code").asInt()).as("avertp:// URLs taken as the stream ids they name").isZero();
        JsonNode curlVideo = MediaTools.stream(probe(curl.at("/data/play/0/hdl_url").asText()), "video");
        assertThat(curlVideo.path("width").asInt()).isEqualTo(840);
        assertThat(post("stop-mix", seed("seed-curl.json")).path("code").asInt()).isZero();
        assertThat(EMBEDDED.server().store().running()).isEmpty();
    }

    @Test
    void aHigherSeqChangesTheRunningMixALowerSeqChangesNothingAndStopEndsIt() throws Exception {
        JsonNode first = post("start-mix", layout(1, 0));
        assertThat(first.path("code").asInt()).as(first.toString()).isZero();
        String play = first.at("/data/play/0/hdl_url").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            WorkerReport report = EMBEDDED.server().store().engine("default", "layout").orElseThrow().report();
            return report.outputs().get(0).state().equals(WorkerReport.Output.LIVE)
                    && report.inputs().get(0).state().equals(WorkerReport.Input.LIVE);
        });
        MediaTools.Picture before = lastPicture(play);
        assertThat(before.is(80, 120, 0xFF0000, 40)).as("red on the left " + before.describe(80, 120)).isTrue();
        assertThat(before.is(240, 120, 0x0000FF, 40)).as("background on the right " + before.describe(240, 120)).isTrue();

        JsonNode moved = post("start-mix", layout(2, 160));
        assertThat(moved.path("code").asInt()).as(moved.toString()).isZero();
        assertThat(moved.at("/data/mix_duration").isNumber()).as("an update reports the mix duration").isTrue();
        MediaTools.Picture after = lastPicture(play);
        assertThat(after.is(240, 120, 0xFF0000, 40)).as("red moved right " + after.describe(240, 120)).isTrue();
        assertThat(after.is(80, 120, 0x0000FF, 40)).as("background on the left " + after.describe(80, 120)).isTrue();
        var engine = EMBEDDED.server().store().engine("default", "layout").orElseThrow();
        assertThat(engine.report().lastUpdate().message()).as("applied live, no output reopened").isEqualTo("live");

        JsonNode stale = post("start-mix", layout(1, 0));
        assertThat(stale.path("code").asInt()).isEqualTo(StartMixApi.STALE_SEQ);
        assertThat(EMBEDDED.server().store().engine("default", "layout").orElseThrow()).as("the same engine").isSameAs(engine);
        assertThat(engine.report().generation()).as("nothing applied").isEqualTo(2);
        MediaTools.Picture still = lastPicture(play);
        assertThat(still.is(240, 120, 0xFF0000, 40)).as("still on the right " + still.describe(240, 120)).isTrue();

        JsonNode stopped = post("stop-mix", "{\"task_id\":\"layout\",\"seq\":3}");
        assertThat(stopped.path("code").asInt()).as(stopped.toString()).isZero();
        assertThat(EMBEDDED.server().store().running()).isEmpty();
        HttpResponse<Void> gone = HTTP.send(HttpRequest.newBuilder(URI.create(play)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(gone.statusCode()).as("the stopped mix is no longer played").isEqualTo(404);
    }

    @Test
    void badTokenAndMalformedJsonAreRefusedAndNothingRuns() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/cgi/start-mix?access_token=nope"))
                .POST(HttpRequest.BodyPublishers.ofString(layout(1, 0))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(r.body()).path("code").asInt()).isEqualTo(StartMixApi.AUTH);
        assertThat(post("start-mix", "{\"task_id\": ").path("code").asInt()).isEqualTo(StartMixApi.PARSE);
        assertThat(post("start-mix", layout(1, 0).replace("\"fps\"", "\"frame_rate\"")).path("message").asText())
                .isEqualTo("MixOutput[0].fps: is required (ignored, not start-mix fields: MixOutput[0].frame_rate)");
        assertThat(EMBEDDED.server().store().running()).isEmpty();
    }

    /** A 320x240 mix on a blue background: a red input 160 wide at {@code left}. */
    static String layout(long seq, int left) {
        return ("{\"id_name\":\"u\",\"task_id\":\"layout\",\"seq\":%d,\"output_bg_color\":65280,"
                + "\"MixInput\":[{\"url\":\"synthetic:color?color=#FF0000&size=160x240&fps=15\",\"rect\":{\"top\":0,\"left\":%d,\"bottom\":240,\"right\":%d}}],"
                + "\"MixOutput\":[{\"stream_id\":\"layout\",\"bitrate\":500000,\"fps\":15,\"width\":320,\"height\":240}]}")
                .formatted(seq, left, left + 160);
    }

    /** The last picture of 3.5 s of the live stream (a player joining now starts on the last keyframe, up to 2 s old). */
    static MediaTools.Picture lastPicture(String url) throws Exception {
        byte[] rgb = MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-i", url, "-t", "3.5", "-f", "rawvideo",
                "-pix_fmt", "rgb24", "-");
        int size = 320 * 240 * 3;
        assertThat(rgb.length).as("pictures from " + url).isGreaterThanOrEqualTo(size);
        return new MediaTools.Picture(320, 240, Arrays.copyOfRange(rgb, rgb.length - size, rgb.length));
    }

    /**
     * ffprobe of a play URL. An output's play URL answers once its output thread has opened its encoders (an H.265
     * encoder takes a moment on a busy machine), which may be just after the start-mix reply: tried again for a while,
     * as a player retries a 404.
     */
    static JsonNode probe(String url) throws Exception {
        JsonNode[] probed = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            probed[0] = JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-print_format", "json", "-show_streams", url));
            return true;
        });
        return probed[0];
    }

    static String base() {
        return "http://127.0.0.1:" + EMBEDDED.server().port();
    }

    static JsonNode post(String endpoint, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/cgi/" + endpoint + "?access_token=" + TOKEN))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static String seed(String name) throws Exception {
        return new String(StartMixApiEmbeddedTest.class.getResourceAsStream("/io/streammix/startmix/" + name).readAllBytes(),
                StandardCharsets.UTF_8);
    }
}
