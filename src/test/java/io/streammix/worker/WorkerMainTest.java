package io.streammix.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.control.ControlApi;
import io.streammix.worker.control.ControlServer;
import io.streammix.worker.control.SpecSubmission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        Path specFile = dir.resolve("spec.json");
        Files.write(specFile, ControlServer.JSON.writeValueAsBytes(new SpecSubmission(7, spec)));
        Path tokenFile = Files.writeString(dir.resolve("token"), "s3cret-token\n");
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        int port = MediaTools.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.streammix.worker.WorkerMain",
                "--control-port", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile());
        pb.environment().putAll(Map.of(ControlApi.ENV_SPEC_FILE, specFile.toString(), ControlApi.ENV_TOKEN_FILE, tokenFile.toString(),
                ControlApi.ENV_SCRATCH_DIR, scratch.toString()));
        Process worker = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ControlApi.STATUS))
                    .header("Authorization", "Bearer s3cret-token").timeout(Duration.ofSeconds(5)).build();
            await().atMost(Duration.ofSeconds(40)).ignoreExceptions().until(() -> {
                JsonNode s = ControlServer.JSON.readTree(http.send(status, HttpResponse.BodyHandlers.ofString()).body());
                return s.get("outputs").get(0).get("frames").asLong() > 30;
            });
            JsonNode s = ControlServer.JSON.readTree(http.send(status, HttpResponse.BodyHandlers.ofString()).body());
            assertThat(s.get("generation").asLong()).isEqualTo(7);
            assertThat(Files.isDirectory(scratch.resolve("javacpp"))).as("natives unpacked into the scratch dir").isTrue();
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
