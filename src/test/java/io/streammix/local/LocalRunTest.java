package io.streammix.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.ExampleFiles;
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

    @Test
    void optionsComeAfterTheFile() throws Exception {
        ExampleRuns.Run run = ExampleRuns.run("--duration", "1");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.printed()).contains("the first argument is the MixTask file").contains("--input-url-template");
    }

    @Test
    void streamIdInputsNeedAnInputUrlTemplate() throws Exception {
        ExampleRuns.Run run = ExampleRuns.run("examples/two-party.yaml", "--duration", "1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.printed()).contains("spec.inputs[0].streamId: no media server to pull stream ids from")
                .contains("--input-url-template");
        ExampleRuns.Run bad = ExampleRuns.run("examples/two-party.yaml", "--duration", "1", "--input-url-template",
                "rtmp://127.0.0.1/{app}/{streamId}");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.printed()).contains("--input-url-template: unknown placeholder {app}");
    }

    @Test
    void urlFromNeedsItsSecretAndNeverPrintsAValue() throws Exception {
        // The example's MixTask without the Secret beside it.
        String task = ExampleFiles.mixTaskDocuments(Path.of("examples/url-from-secret.yaml")).get(0);
        Path file = Files.writeString(dir.resolve("task.yaml"), task);
        ExampleRuns.Run run = ExampleRuns.run(file.toString(), "--duration", "1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.printed()).contains("spec.inputs[0].urlFrom: Secret 'stream-keys' not found").contains("--secrets");

        Path secrets = Files.writeString(dir.resolve("secrets.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata: {name: stream-keys}
                data:
                  youtube: cnRtcDovL2EuZXhhbXBsZS5jb20vbGl2ZTIvU0VDUkVULVZBTFVF   # rtmp://a.example.com/live2/SECRET-VALUE
                """);
        ExampleRuns.Run noKey = ExampleRuns.run(file.toString(), "--duration", "1", "--secrets", secrets.toString());
        assertThat(noKey.code()).isEqualTo(1);
        assertThat(noKey.printed()).contains("spec.inputs[0].urlFrom: Secret 'stream-keys' has no key 'camera'")
                .doesNotContain("SECRET-VALUE");
    }

    @Test
    void secretsOfASeparateFileAreRead() throws Exception {
        EngineRun.prepare();
        Path out = dir.resolve("from-secret.mp4");
        Path file = Files.writeString(dir.resolve("task.yaml"), """
                apiVersion: streammix.io/v1alpha1
                kind: MixTask
                metadata: {name: secret-input}
                spec:
                  inputs:
                    - urlFrom: {secretKeyRef: {name: keys, key: camera}}
                      rect: {left: 0, top: 0, right: 320, bottom: 180}
                  outputs:
                    - urlFrom: {secretKeyRef: {name: keys, key: recording}}
                      video: {width: 320, height: 180, fps: 10, bitrate: 300000}
                      audio: {bitrate: 64000, channels: 1}
                """);
        Path secrets = Files.writeString(dir.resolve("keys.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata: {name: keys}
                stringData:
                  camera: "synthetic:color?color=%%23FF0000&size=320x180&fps=10&tone=440"
                  recording: %s
                """.formatted(out));
        ExampleRuns.Run run = ExampleRuns.run(file.toString(), "--duration", "2", "--secrets", secrets.toString());
        assertThat(run.code()).as(run.printed()).isZero();
        assertThat(run.printed()).doesNotContain("color=%23FF0000");
        MediaTools.Picture p = MediaTools.frameAt(out, 1.0, 320, 180);
        assertThat(p.is(160, 90, 0xFF0000, 40)).as("the Secret's input, " + p.describe(160, 90)).isTrue();
    }
}
