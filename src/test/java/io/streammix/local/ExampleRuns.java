package io.streammix.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streammix.worker.MediaTools;
import io.streammix.worker.MediaTools.Picture;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the tests that run examples through {@link LocalRun} share: output redirection, the run, the probe of an output. */
final class ExampleRuns {
    static final int TOL = 40;

    private ExampleRuns() {
    }

    /** What a run printed (stdout and stderr) and its exit code. */
    record Run(int code, String printed) {
    }

    /**
     * Points output {@code i} at a file of {@code dir} (an output without video gets .m4a) and returns the file; on a
     * cluster it would go to the worker's media port or a media server. Rotation and upload are RecordingMediaTest's.
     */
    static Path redirect(ObjectNode o, int i, Path dir) {
        String name = o.has("name") ? o.get("name").asText() : o.has("streamId") ? o.get("streamId").asText() : "output-" + i;
        Path f = dir.resolve(name + (hasVideo(o) ? ".mp4" : ".m4a"));
        o.remove(List.of("streamId", "urlFrom", "recording"));
        o.put("name", name);
        o.put("url", f.toString());
        return f;
    }

    /** LocalRun with these arguments, what it prints kept (not shown). */
    static Run run(String... args) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
            System.setOut(capture);
            System.setErr(capture);
            int code = LocalRun.run(args);
            return new Run(code, printed.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static List<String> args(Path file, int seconds, String... more) {
        List<String> a = new ArrayList<>(List.of(file.toString(), "--duration", Integer.toString(seconds)));
        a.addAll(List.of(more));
        return a;
    }

    /** The output file has the codecs, size, fps and channels its spec asks, and lasts about {@code seconds}. */
    static void assertOutputMatches(JsonNode spec, Path file, int seconds) throws Exception {
        JsonNode probe = MediaTools.probe(file);
        String what = file.getFileName().toString();
        assertThat(probe.path("format").path("duration").asDouble()).as(what + " duration").isBetween(seconds - 1.0, seconds + 2.0);
        JsonNode v = MediaTools.stream(probe, "video");
        if (hasVideo(spec)) {
            JsonNode want = spec.get("video");
            assertThat(v).as(what + " video stream").isNotNull();
            assertThat(v.get("codec_name").asText()).as(what + " codec")
                    .isEqualTo("H265".equals(want.path("codec").asText()) ? "hevc" : "h264");
            assertThat(v.get("width").asInt()).as(what + " width").isEqualTo(want.get("width").asInt());
            assertThat(v.get("height").asInt()).as(what + " height").isEqualTo(want.get("height").asInt());
            assertThat(v.get("r_frame_rate").asText()).as(what + " fps").isEqualTo(want.get("fps").asInt() + "/1");
        } else {
            assertThat(v).as(what + ": an output without video carries no video track").isNull();
        }
        JsonNode a = MediaTools.stream(probe, "audio");
        JsonNode audio = spec.path("audio");
        assertThat(a).as(what + " audio stream").isNotNull();
        assertThat(a.get("codec_name").asText()).as(what + " audio codec")
                .isEqualTo("MP3".equals(audio.path("codec").asText()) ? "mp3" : "aac");
        assertThat(a.get("channels").asInt()).as(what + " channels").isEqualTo(audio.path("channels").asInt(1));
    }

    static boolean hasVideo(JsonNode output) {
        JsonNode v = output.path("video");
        return v.path("width").asInt(0) > 1 && v.path("height").asInt(0) > 1;
    }

    static void assertColour(Picture p, int x, int y, int rgb, String what) {
        assertThat(p.is(x, y, rgb, TOL)).as(what + ": expected #%06X, got %s", rgb, p.describe(x, y)).isTrue();
    }
}
