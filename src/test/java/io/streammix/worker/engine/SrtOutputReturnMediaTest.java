package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.MixOutput;
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
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An SRT output (UDP: no port to probe) to a real SRT listener, the bundled ffmpeg, that stops for ~3 s and comes
 * back: the output is live again within 3 s of the listener's start, and the new listener receives a decodable stream.
 */
class SrtOutputReturnMediaTest {
    @TempDir
    Path dir;

    private Process listen(int port, Path out) throws Exception {
        return MediaTools.start(dir.resolve("listener-" + System.nanoTime() + ".log"), "-loglevel", "error",
                "-i", "srt://127.0.0.1:" + port + "?mode=listener", "-c", "copy", "-f", "mpegts", "-y", out.toString());
    }

    @Test
    void anSrtOutputIsBackWithinThreeSecondsOfItsListener() throws Exception {
        int port = MediaTools.freePort();
        Path first = dir.resolve("first.ts");
        Path second = dir.resolve("second.ts");
        Process listener = listen(port, first);
        MixOutput push = MediaTools.fileOutput("push", dir.resolve("unused"), 320, 240, 15);
        push.url = "srt://127.0.0.1:" + port + "?streamid=hush-4711";
        MixTaskSpec spec = MediaTools.spec(List.of(input("red", "synthetic:color?color=#FF0000&size=320x240&fps=15&tone=440",
                0, 0, 320, 240, 0)), List.of(push));
        Thread.sleep(500);
        var engine = EngineRun.start(spec, dir);
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> state(engine).equals(WorkerReport.Output.LIVE)
                    && Files.exists(first) && Files.size(first) > 0);
            listener.destroy();
            assertThat(listener.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> state(engine).equals(WorkerReport.Output.RECONNECTING));
            Thread.sleep(3000);
            String reason = engine.report().outputs().get(0).reason();
            assertThat(reason).contains("next attempt in").doesNotContain("hush");
            long started = System.nanoTime();
            listener = listen(port, second);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> state(engine).equals(WorkerReport.Output.LIVE));
            double back = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "SrtOutputReturnMediaTest: live again %.2f s after the listener was started%n", back);
            assertThat(back).as("seconds from starting the listener to the output being live again").isLessThanOrEqualTo(3.0);
            Thread.sleep(3000);
        } finally {
            engine.close();
            listener.waitFor(5, TimeUnit.SECONDS);
            listener.destroy();
            listener.waitFor(5, TimeUnit.SECONDS);
        }
        JsonNode v = MediaTools.stream(MediaTools.probe(second), "video");
        assertThat(v.get("codec_name").asText()).isEqualTo("h264");
        assertThat(v.get("width").asInt()).isEqualTo(320);
    }

    private static String state(MixEngine e) {
        return e.report().outputs().get(0).state();
    }
}
