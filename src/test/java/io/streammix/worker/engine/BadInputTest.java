package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Inputs that cannot work become states with reasons; the mix goes on, and no reason carries URL secrets. */
class BadInputTest {
    @TempDir
    Path dir;

    @Test
    void badInputsBecomeStatesWithReasons() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not media\n".repeat(100));
        Path badPng = Files.write(dir.resolve("broken.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4, 5});
        int closedPort = MediaTools.freePort();
        Path out = dir.resolve("bad.mp4");
        MixTaskSpec spec = MediaTools.spec(List.of(
                        input("good", "synthetic:color?color=#FF0000&size=160x120&fps=15", 0, 0, 160, 120, 0),
                        input("refused", "rtmp://user:s3cret@127.0.0.1:" + closedPort + "/live/streamkey?token=t0ken", 160, 0, 320, 120, 0),
                        input("text", text.toString(), 0, 120, 160, 240, 0),
                        input("png", badPng.toString(), 160, 120, 320, 240, 0),
                        input("param", "synthetic:testsrc?fps=999", 0, 0, 2, 2, 0)),
                List.of(MediaTools.fileOutput("main", out, 320, 240, 15)));
        var engine = EngineRun.start(spec, dir);
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> states(engine).values().stream()
                    .filter(WorkerReport.Input.LOST::equals).count() == 4);
            Map<String, WorkerReport.Input> by = engine.report().inputs().stream()
                    .collect(Collectors.toMap(WorkerReport.Input::name, i -> i));
            assertThat(by.get("good").state()).isEqualTo(WorkerReport.Input.LIVE);
            assertThat(by.get("refused").reason()).contains("Connection refused");
            assertThat(by.get("text").reason()).isNotBlank();
            assertThat(by.get("png").reason()).isNotBlank();
            assertThat(by.get("param").reason()).contains("fps");
            by.values().forEach(i -> assertThat(String.valueOf(i.reason())).doesNotContain("s3cret", "streamkey", "t0ken", "user:"));
            assertThat(engine.report().state()).isEqualTo(io.streammix.worker.contract.WorkerReport.DEGRADED);
            long frames = engine.report().outputs().get(0).frames();
            Thread.sleep(1000);
            assertThat(engine.report().outputs().get(0).frames()).as("the mix goes on").isGreaterThan(frames + 5);
        } finally {
            engine.close();
        }
        MediaTools.Picture p = MediaTools.frameAt(out, 1.0, 320, 240);
        assertThat(p.is(80, 60, 0xFF0000, 40)).as("good input drawn: " + p.describe(80, 60)).isTrue();
        assertThat(p.is(240, 60, 0x000000, 40)).as("refused input's rect is background: " + p.describe(240, 60)).isTrue();
    }

    /** A scheme the worker does not open is refused with the spec since issue 13's URL policy, naming the field. */
    @Test
    void anUnsupportedSchemeIsRefusedWithTheSpecNamingTheField() {
        MixTaskSpec spec = MediaTools.spec(List.of(input("scheme", "gopher://example.com/x", 0, 0, 2, 2, 0)),
                List.of(MediaTools.fileOutput("main", dir.resolve("x.mp4"), 320, 240, 15)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineRun.start(spec, dir))
                .hasMessageContaining("spec.inputs[0].url: the scheme must be");
    }

    private static Map<String, String> states(MixEngine e) {
        return e.report().inputs().stream().collect(Collectors.toMap(WorkerReport.Input::name, WorkerReport.Input::state));
    }
}
