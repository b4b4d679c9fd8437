package io.streammix.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.contract.SpecSubmission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The worker role as the pod runs it: a child JVM configured by environment, stopped by SIGTERM. */
class WorkerMainTest {
    @TempDir
    Path dir;

    @Test
    void runsFromEnvironmentAndStopsCleanlyOnSigterm() throws Exception {
        Path out = dir.resolve("worker.mp4");
        MixTaskSpec spec = MediaTools.spec(List.of(input("cam", "synthetic:testsrc?size=320x240&fps=15&tone=440", 0, 0, 320, 240, 0)),
                List.of(MediaTools.fileOutput("main", out, 320, 240, 15)));
        WorkerProcess run = WorkerProcess.start(dir, new SpecSubmission(7, spec), "s3cret-token", dir.resolve("worker.log"));
        Process worker = run.process();
        try {
            await().atMost(Duration.ofSeconds(40)).ignoreExceptions()
                    .until(() -> run.status().get("outputs").get(0).get("frames").asLong() > 30);
            JsonNode s = run.status();
            assertThat(s.get("generation").asLong()).isEqualTo(7);
            assertThat(Files.isDirectory(run.scratch().resolve("javacpp"))).as("natives unpacked into the scratch dir").isTrue();
        } finally {
            worker.destroy(); // SIGTERM
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("worker.log"))).doesNotContain("s3cret-token").contains("worker stopped: outputs closed");
        JsonNode probe = MediaTools.probe(out);
        assertThat(MediaTools.stream(probe, "video").get("codec_name").asText()).isEqualTo("h264");
        assertThat(probe.get("format").get("duration").asDouble()).isGreaterThan(1.5);
    }
}
