package io.streammix.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's local run on the example file, bounded with --duration, leaves a playable file. */
class LocalRunTest {
    @TempDir
    Path dir;

    @Test
    void exampleRunsAndLeavesAPlayableFile() throws Exception {
        EngineRun.prepare();
        // The example writes to out/demo.mp4; point it at the temp dir instead.
        String yaml = Files.readString(Path.of("examples/synthetic-demo.yaml")).replace("url: out/demo.mp4",
                "url: " + dir.resolve("demo.mp4"));
        Path file = Files.writeString(dir.resolve("demo.yaml"), yaml);
        PrintStream old = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(printed, true));
            code = LocalRun.run(new String[]{file.toString(), "--duration", "3"});
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        assertThat(printed.toString()).contains("ffplay " + dir.resolve("demo.mp4")).contains("stopped after")
                .containsPattern("play: ffplay http://127\\.0\\.0\\.1:[0-9]+/live/demo\\.flv");
        JsonNode probe = MediaTools.probe(dir.resolve("demo.mp4"));
        JsonNode v = MediaTools.stream(probe, "video");
        assertThat(v.get("codec_name").asText()).isEqualTo("h264");
        assertThat(v.get("width").asInt()).isEqualTo(1280);
        assertThat(v.get("height").asInt()).isEqualTo(360);
        assertThat(v.get("r_frame_rate").asText()).isEqualTo("15/1");
        JsonNode a = MediaTools.stream(probe, "audio");
        assertThat(a.get("codec_name").asText()).isEqualTo("aac");
        assertThat(a.get("channels").asInt()).isEqualTo(2);
        assertThat(probe.get("format").get("duration").asDouble()).isBetween(2.0, 4.5);
    }

    @Test
    void invalidFileIsRefusedWithTheViolations() throws Exception {
        String yaml = Files.readString(Path.of("examples/synthetic-demo.yaml")).replace("right: 1280", "right: 1300");
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
        PrintStream old = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(printed, true));
            code = LocalRun.run(new String[]{file.toString(), "--duration", "1"});
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(1);
        assertThat(printed.toString()).contains("spec.inputs[1].rect");
    }
}
