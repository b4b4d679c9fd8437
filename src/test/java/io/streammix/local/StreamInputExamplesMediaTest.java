package io.streammix.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streammix.api.ExampleFiles;
import io.streammix.worker.LoopbackFeeds;
import io.streammix.worker.MediaTools;
import io.streammix.worker.MediaTools.Picture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.streammix.local.ExampleRuns.assertColour;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples users copy first, whose inputs are streams, mixed through the README's local run for a few seconds
 * from real H.264/AAC streams on loopback: {@link LoopbackFeeds} plays stream ids over HTTP-FLV (the operator's input
 * URL template, {@code --input-url-template}, points at it) and the bundled ffmpeg serves an RTMP input where the
 * example names a URL (only its host is made loopback). Every fed input has its own colour and tone, so the outputs
 * show which input went where: pixels for the picture, Goertzel for the sound. Outputs are files of the temp dir,
 * but the one whose URL comes from a Secret, which is pushed over RTMP to an ffmpeg that records it.
 */
class StreamInputExamplesMediaTest {
    /** The examples this class runs (ExamplesRunMediaTest checks every example is run somewhere). */
    static final Set<String> EXAMPLES = Set.of("two-party.yaml", "audio-only.yaml", "url-from-secret.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /**
     * Seconds of mix per example. A camera over HTTP-FLV or RTMP goes live about 1.5-2 s after it is opened (FFmpeg
     * reads that much to find its streams' parameters): pictures and tones are checked in the last 1.5 s.
     */
    private static final int SECONDS = 5;
    /**
     * A microphone pulled over HTTP-FLV or RTMP goes live about 1.2 s after it is opened: FFmpeg's FLV demuxer probes
     * an FLV stream without video for its whole analyzeduration, which InputSource sets to 1 s for FLV inputs (the
     * 5 s default held such inputs silent for 5 s). The audio-only mix runs long enough to hear both voices after that.
     */
    private static final int AUDIO_ONLY_SECONDS = 5;

    @TempDir
    Path dir;
    private LoopbackFeeds feeds;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void startFeeds() throws Exception {
        feeds = new LoopbackFeeds(dir.resolve("feeds"));
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroy);
        feeds.close();
    }

    @Test
    void twoPartyShowsEachCameraInItsHalfAndMixesBothVoices() throws Exception {
        int host = 0xC03030;
        int guest = 0x3060C0;
        feeds.camera("host-cam", host, 440, 20);
        // The guest comes by URL from the example's media server: an RTMP server on loopback instead.
        int rtmpPort = MediaTools.freePort();
        processes.add(MediaTools.start(dir.resolve("guest.log"), "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "color=c=0x3060C0:size=320x180:rate=20", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "20", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-ac", "1", "-f", "flv", "-listen", "1", "rtmp://127.0.0.1:" + rtmpPort + "/live/guest-cam"));
        MediaTools.awaitListening(rtmpPort, Duration.ofSeconds(20));
        feeds.awaitLive();
        ObjectNode task = task("two-party.yaml");
        Path mix = redirectAll(task).get(0);
        String yaml = YAML.writeValueAsString(task).replace("rtmp://media.example.com/", "rtmp://127.0.0.1:" + rtmpPort + "/");

        ExampleRuns.Run run = runExample(Files.writeString(dir.resolve("two-party.yaml"), yaml),
                "--input-url-template", feeds.inputUrlTemplate());

        assertThat(run.code()).as("LocalRun exit code; it printed:\n" + run.printed()).isZero();
        ExampleRuns.assertOutputMatches(outputs(task).get(0), mix, SECONDS);
        Picture p = MediaTools.frameAt(mix, SECONDS - 0.8, 1280, 720);
        assertColour(p, 320, 360, host, "the host in the left half");
        assertColour(p, 320, 30, host, "the host's 16:9 picture cropped to fill its 640x720 rect");
        assertColour(p, 960, 360, guest, "the guest in the right half");
        assertColour(p, 960, 60, 0x202020, "the background above the guest's picture (Fit)");
        short[] pcm = MediaTools.pcm(mix, SECONDS - 1.6, 1.4);
        double hostTone = MediaTools.tone(pcm, 440);
        double guestTone = MediaTools.tone(pcm, 1000);
        double none = MediaTools.tone(pcm, 700);
        assertThat(hostTone).as("the host's 440 Hz in the mix").isGreaterThan(0.02).isGreaterThan(10 * none);
        assertThat(guestTone).as("the guest's 1000 Hz in the mix").isGreaterThan(0.02).isGreaterThan(10 * none);
    }

    @Test
    void audioOnlyMixesBothVoicesIntoAStreamWithNoPicture() throws Exception {
        feeds.microphone("host-mic", 500);
        feeds.microphone("guest-mic", 1200);
        feeds.awaitLive();
        ObjectNode task = task("audio-only.yaml");
        Path mix = redirectAll(task).get(0);

        ExampleRuns.Run run = ExampleRuns.run(ExampleRuns.args(Files.writeString(dir.resolve("audio-only.yaml"),
                YAML.writeValueAsString(task)), AUDIO_ONLY_SECONDS, "--input-url-template", feeds.inputUrlTemplate())
                .toArray(String[]::new));

        assertThat(run.code()).as("LocalRun exit code; it printed:\n" + run.printed()).isZero();
        assertThat(mix.getFileName().toString()).endsWith(".m4a");
        // no video track at all, stereo AAC
        ExampleRuns.assertOutputMatches(outputs(task).get(0), mix, AUDIO_ONLY_SECONDS);
        short[] pcm = MediaTools.pcm(mix, AUDIO_ONLY_SECONDS - 2.0, 1.5);
        double hostTone = MediaTools.tone(pcm, 500);
        double guestTone = MediaTools.tone(pcm, 1200);
        double none = MediaTools.tone(pcm, 800);
        assertThat(hostTone).as("the host's 500 Hz in the mix").isGreaterThan(0.02).isGreaterThan(10 * none);
        assertThat(guestTone).as("the guest's 1200 Hz in the mix").isGreaterThan(0.02).isGreaterThan(10 * none);
        assertThat(guestTone / hostTone).as("the guest at volume 120, the host at 100 (equal feeds)").isBetween(1.1, 1.3);
    }

    @Test
    void urlFromSecretPullsAndPushesTheSecretsUrlsAndNeverPrintsThem() throws Exception {
        int camera = 0x30A050;
        feeds.camera("cam1", camera, 660, 25);
        feeds.awaitLive();
        String token = "tok-" + System.nanoTime();
        String streamKey = "key-" + System.nanoTime();
        int rtmpPort = MediaTools.freePort();
        Path youtube = dir.resolve("youtube.flv");
        Process receiver = MediaTools.start(dir.resolve("youtube.log"), "-loglevel", "error", "-listen", "1",
                "-i", "rtmp://127.0.0.1:" + rtmpPort + "/live2/" + streamKey, "-c", "copy", "-y", youtube.toString());
        processes.add(receiver);
        // Listening before the run starts: a 5 s run has no time for the output's reconnect backoff (1 s, then 2 s).
        MediaTools.awaitListening(rtmpPort, Duration.ofSeconds(20));
        // The example's Secret, its URLs made loopback (their token and stream key unique, to look for them), and its
        // MixTask, the preview (served by the worker on a cluster) redirected to a file.
        List<ObjectNode> docs = new ArrayList<>();
        for (String doc : Files.readString(Path.of("examples/url-from-secret.yaml")).split("(?m)^---\\s*$")) {
            docs.add((ObjectNode) YAML.readTree(doc));
        }
        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("Secret", "MixTask");
        ObjectNode urls = (ObjectNode) docs.get(0).get("stringData");
        urls.put("youtube", "rtmp://127.0.0.1:" + rtmpPort + "/live2/" + streamKey);
        urls.put("camera", feeds.url("cam1") + "?token=" + token);
        ArrayNode outputs = outputs(docs.get(1));
        assertThat(outputs.get(0).has("urlFrom")).as("the first output is pushed to its Secret's URL").isTrue();
        JsonNode previewSpec = outputs.get(1).deepCopy();
        Path preview = ExampleRuns.redirect((ObjectNode) outputs.get(1), 1, dir);
        StringBuilder example = new StringBuilder();
        for (ObjectNode doc : docs) {
            example.append(YAML.writeValueAsString(doc)); // each document starts with "---"
        }
        Path file = Files.writeString(dir.resolve("url-from-secret.yaml"), example);
        List<String> logged = new ArrayList<>();
        Handler logs = capture(logged);
        Logger.getLogger("").addHandler(logs);
        ExampleRuns.Run run;
        try {
            run = runExample(file);
        } finally {
            Logger.getLogger("").removeHandler(logs);
        }

        assertThat(run.code()).as("LocalRun exit code; it printed:\n" + run.printed()).isZero();
        assertThat(receiver.waitFor(10, TimeUnit.SECONDS)).as("the RTMP receiver saw the end of the stream").isTrue();
        ExampleRuns.assertOutputMatches(outputs.get(0), youtube, SECONDS);
        ExampleRuns.assertOutputMatches(previewSpec, preview, SECONDS);
        assertColour(MediaTools.frameAt(youtube, SECONDS - 0.8, 1280, 720), 640, 360, camera, "youtube: the camera");
        assertColour(MediaTools.frameAt(preview, SECONDS - 0.8, 640, 360), 320, 180, camera, "preview: the camera");
        for (Path f : List.of(youtube, preview)) {
            short[] pcm = MediaTools.pcm(f, SECONDS - 1.6, 1.4);
            assertThat(MediaTools.tone(pcm, 660)).as(f.getFileName() + ": the camera's 660 Hz").isGreaterThan(0.02)
                    .isGreaterThan(10 * MediaTools.tone(pcm, 400));
        }
        assertThat(logged).as("the log was captured").anyMatch(l -> l.contains("live"));
        String everything = run.printed() + String.join("\n", logged);
        assertThat(everything).as("what the run printed and logged").doesNotContain(token).doesNotContain(streamKey);
        assertThat(run.printed()).contains("output youtube -> network stream (see its urlFrom: Secret stream-keys, key youtube)");
    }

    private ExampleRuns.Run runExample(Path file, String... more) throws Exception {
        return ExampleRuns.run(ExampleRuns.args(file, SECONDS, more).toArray(String[]::new));
    }

    private static ObjectNode task(String example) throws Exception {
        return (ObjectNode) YAML.readTree(ExampleFiles.mixTaskDocuments(Path.of("examples", example)).get(0));
    }

    private static ArrayNode outputs(ObjectNode task) {
        return (ArrayNode) task.path("spec").path("outputs");
    }

    /** Every output to a file; returns the files. {@code task} keeps the outputs' specs for the probes. */
    private List<Path> redirectAll(ObjectNode task) {
        List<Path> files = new ArrayList<>();
        ArrayNode outputs = outputs(task);
        for (int i = 0; i < outputs.size(); i++) {
            files.add(ExampleRuns.redirect((ObjectNode) outputs.get(i), i, dir));
        }
        return files;
    }

    /** Collects every log record's message and parameters (formatted or not, a secret would show in one of them). */
    private static Handler capture(List<String> into) {
        return new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (into) {
                    into.add(r.getLoggerName() + " " + r.getMessage() + " " + Arrays.toString(r.getParameters())
                            + (r.getThrown() != null ? " " + r.getThrown() : ""));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
