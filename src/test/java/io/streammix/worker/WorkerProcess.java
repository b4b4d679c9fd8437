package io.streammix.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.control.ControlServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A worker JVM started as its pod starts it: {@link WorkerMain} with the spec and token files the task's Secret
 * provides and a scratch directory (all under {@code dir}), its output in {@code log}, on a free control port and a
 * free metrics port.
 */
public record WorkerProcess(Process process, int controlPort, String token, Path scratch, int metricsPort) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static WorkerProcess start(Path dir, SpecSubmission submission, String token, Path log) throws IOException {
        return start(dir, submission, token, log, Map.of());
    }

    /** @param env more environment, e.g. the task's namespace and name for the metrics' labels */
    public static WorkerProcess start(Path dir, SpecSubmission submission, String token, Path log, Map<String, String> env)
            throws IOException {
        // In a pod the worker opens files only under the task's volumes: the test directory stands in for one.
        if (submission.spec().worker == null) {
            submission.spec().worker = new io.streammix.api.v1alpha1.WorkerOverrides();
        }
        if (submission.spec().worker.volumes == null) {
            submission.spec().worker.volumes = java.util.List.of(new io.streammix.api.v1alpha1.WorkerVolume("test", "test", dir.toString()));
        }
        Path specFile = dir.resolve("spec.json");
        Files.write(specFile, ControlServer.JSON.writeValueAsBytes(submission));
        Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        int port = MediaTools.freePort();
        int metricsPort = MediaTools.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                "--control-port", String.valueOf(port), "--metrics-port", String.valueOf(metricsPort))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of(ControlApi.ENV_SPEC_FILE, specFile.toString(), ControlApi.ENV_TOKEN_FILE, tokenFile.toString(),
                ControlApi.ENV_SCRATCH_DIR, scratch.toString()));
        pb.environment().putAll(env);
        return new WorkerProcess(pb.start(), port, token, scratch, metricsPort);
    }

    /** GET /metrics on the metrics port as Prometheus does it: no token. */
    public HttpResponse<String> scrape() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                .header("Accept", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1").timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** GET /status of its control API, with its token. */
    public JsonNode status() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + ControlApi.STATUS))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build();
        return ControlServer.JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
