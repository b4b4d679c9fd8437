package io.streammix.worker.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerRuntime;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.MixEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The worker's control API against a running engine, over HTTP. */
class ControlApiTest {
    private static final String TOKEN = "test-token-123";
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private WorkerRuntime rt;

    private MixTaskSpec spec(int right) {
        MixTaskSpec s = MediaTools.spec(List.of(input("cam", "synthetic:color?color=#FF0000&size=160x120&fps=15&tone=440", 0, 0, right, 120, 0)),
                List.of(MediaTools.fileOutput("main", dir.resolve("ctl.mp4"), 320, 240, 15)));
        s.outputs.get(0).audio.codec = AudioCodec.HE_AAC;
        return s;
    }

    @BeforeEach
    void start() throws Exception {
        EngineRun.prepare();
        rt = WorkerRuntime.start(new SpecSubmission(3, spec(160)), new MixEngine.Config(dir, null), "127.0.0.1", 0, TOKEN);
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.controlPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everythingButHealthNeedsTheToken() throws Exception {
        assertThat(call("GET", ControlApi.STATUS, null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", ControlApi.STATUS, "wrong", null).statusCode()).isEqualTo(401);
        assertThat(call("PUT", ControlApi.SPEC, null, "{}").statusCode()).isEqualTo(401);
        assertThat(call("GET", ControlApi.LIVE, null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", ControlApi.READY, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void statusReportsStateInputsOutputsAndWarnings() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ControlServer.JSON.readTree(call("GET", ControlApi.STATUS, TOKEN, null).body()).path("inputs").path(0).path("state").asText()
                        .equals("Live"));
        Thread.sleep(1200);
        HttpResponse<String> r = call("GET", ControlApi.STATUS, TOKEN, null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = ControlServer.JSON.readTree(r.body());
        assertThat(s.get("state").asText()).isEqualTo(WorkerReport.RUNNING);
        assertThat(s.get("generation").asLong()).isEqualTo(3);
        assertThat(s.get("startedAt").asText()).isNotBlank();
        assertThat(s.get("mixDurationSeconds").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode in = s.get("inputs").get(0);
        assertThat(in.get("name").asText()).isEqualTo("cam");
        assertThat(in.get("since").asText()).isNotBlank();
        assertThat(in.get("fps").asDouble()).isBetween(10.0, 20.0);
        JsonNode out = s.get("outputs").get(0);
        assertThat(out.get("state").asText()).isEqualTo("Live");
        assertThat(out.get("frames").asLong()).isGreaterThan(10);
        assertThat(s.get("warnings").toString()).contains("HE_AAC");

        // Metrics have a port of their own (worker.metrics.MetricsServer), without the token.
        assertThat(call("GET", "/metrics", TOKEN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void invalidSpecIsRefusedWith422NamingTheField() throws Exception {
        String body = ControlServer.JSON.writeValueAsString(new SpecSubmission(4, spec(400))); // beyond the 320 canvas
        HttpResponse<String> r = call("PUT", ControlApi.SPEC, TOKEN, body);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("spec.inputs[0].rect");
        assertThat(call("PUT", ControlApi.SPEC, TOKEN, "not json").statusCode()).isEqualTo(400);
        JsonNode s = ControlServer.JSON.readTree(call("GET", ControlApi.STATUS, TOKEN, null).body());
        assertThat(s.get("generation").asLong()).as("nothing applied").isEqualTo(3);
        assertThat(s.get("lastUpdate").get("result").asText()).isEqualTo("Failed");
    }

    @Test
    void validSpecIsApplied() throws Exception {
        String body = ControlServer.JSON.writeValueAsString(new SpecSubmission(5, spec(320)));
        HttpResponse<String> r = call("PUT", ControlApi.SPEC, TOKEN, body);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = ControlServer.JSON.readTree(r.body());
        assertThat(s.get("generation").asLong()).isEqualTo(5);
        assertThat(s.get("lastUpdate").get("result").asText()).isEqualTo("Applied");
    }
}
