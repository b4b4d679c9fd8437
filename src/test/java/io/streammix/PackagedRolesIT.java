package io.streammix;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.control.ControlServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both roles started the way the image starts them -- {@code java -jar /deployments/quarkus-run.jar [worker]}, through
 * Quarkus's entry point, from the packaged {@code target/quarkus-app} -- rather than {@code java -cp ... Main} as every
 * other test does (issue 20: there the worker's log never reached {@code kubectl logs}, and the operator asked the API
 * server for the CRD, which the chart's RBAC does not allow). A failsafe test: `package` has built the app by then.
 */
class PackagedRolesIT {
    static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @TempDir
    Path dir;

    @BeforeAll
    static void packaged() {
        Assumptions.assumeTrue(Files.isRegularFile(APP), "PackagedRolesIT: skipped: no " + APP + " (run after `package`)");
    }

    /** The worker's own log lines on stdout, with the environment WorkerPodTemplate gives a worker pod. */
    @Test
    void workerLogsToStdout() throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        var spec = MediaTools.spec(List.of(input("cam", "synthetic:testsrc?size=320x240&fps=15&tone=440", 0, 0, 320, 240, 0)),
                List.of(MediaTools.fileOutput("main", scratch.resolve("out").resolve("main.mp4"), 320, 240, 15)));
        spec.worker = new io.streammix.api.v1alpha1.WorkerOverrides();
        Path spec0 = Files.write(dir.resolve("spec.json"), ControlServer.JSON.writeValueAsBytes(new SpecSubmission(3, spec)));
        Path token = Files.writeString(dir.resolve("token"), "t0ken-not-for-logs\n");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", APP.toAbsolutePath().toString(), "worker")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(Map.of(
                ControlApi.ENV_SPEC_FILE, spec0.toString(),
                ControlApi.ENV_TOKEN_FILE, token.toString(),
                ControlApi.ENV_SCRATCH_DIR, scratch.toString(),
                "MIXTASK_CONTROL_PORT", String.valueOf(MediaTools.freePort()),
                "MIXTASK_MEDIA_PORT", String.valueOf(MediaTools.freePort()),
                "MIXTASK_METRICS_PORT", String.valueOf(MediaTools.freePort()),
                "MIXTASK_BIND_ADDRESS", "127.0.0.1",
                "MIXTASK_NAMESPACE", "team-a",
                "MIXTASK_TASK", "show",
                "MALLOC_ARENA_MAX", "2"));
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Xmx512m -Djava.io.tmpdir=" + scratch);
        Process worker = pb.start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !worker.isAlive() || Files.readString(out).contains("input cam (synthetic:testsrc) live")
                            && Files.readString(out).contains("worker mixing generation"));
            assertThat(worker.isAlive()).as("worker running; stderr: %s", Files.readString(err)).isTrue();
        } finally {
            worker.destroy(); // SIGTERM, as the kubelet stops a pod
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String stdout = Files.readString(out);
        assertThat(stdout).contains("INFO  [io.streammix.worker.WorkerMain] worker mixing generation 3")
                .contains("input cam (synthetic:testsrc) live").doesNotContain("t0ken-not-for-logs")
                .doesNotContain(" DEBUG ", " TRACE ", " FINE"); // INFO and above, as with the JDK's own configuration
        assertThat(Files.isDirectory(scratch.resolve("javacpp"))).as("natives unpacked into the scratch dir").isTrue();
    }

    /**
     * The packaged operator against a recording stand-in for the API server: it logs to stdout and never asks for the
     * CustomResourceDefinition ({@code quarkus.operator-sdk.crd.validate} is build-time fixed: the chart cannot turn it
     * off, and the chart grants no read on CRDs). It wins its leader-election Lease first (prod profile), then starts the
     * controller. Every request it makes at start is listed in the failure message.
     */
    @Test
    void operatorStartsWithoutReadingTheCrdAndLogsToStdout() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, byte[]> store = new java.util.concurrent.ConcurrentHashMap<>();
        api.createContext("/", ex -> answer(ex, requests, store));
        var threads = java.util.concurrent.Executors.newCachedThreadPool();
        api.setExecutor(threads);
        api.start();
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: u, user: {token: op-token}}]
                contexts: [{name: x, context: {cluster: c, user: u, namespace: mixtask-system}}]
                current-context: x
                """.formatted(api.getAddress().getPort()));
        Path out = dir.resolve("stdout");
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", APP.toAbsolutePath().toString())
                .redirectOutput(out.toFile()).redirectError(dir.resolve("stderr").toFile());
        pb.environment().putAll(Map.of("KUBECONFIG", kubeconfig.toString(),
                "QUARKUS_HTTP_PORT", String.valueOf(MediaTools.freePort()),
                "QUARKUS_MANAGEMENT_PORT", String.valueOf(MediaTools.freePort()),
                "JAVA_TOOL_OPTIONS", "-Xmx384m -Djava.io.tmpdir=" + dir));
        Process operator = pb.start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    requests.stream().anyMatch(r -> r.startsWith("GET /apis/streammix.io/v1alpha1/mixtasks")) || !operator.isAlive());
            Thread.sleep(2_000); // what else it asks for while starting
        } finally {
            operator.destroy();
            if (!operator.waitFor(10, TimeUnit.SECONDS)) {
                operator.destroyForcibly(); // its watches on the stand-in never end
            }
            api.stop(0);
            threads.shutdownNow();
        }
        // For the reader of the build log: what the chart's RBAC must allow at start.
        requests.stream().map(r -> r.replaceFirst("\\?.*", "")).distinct().sorted()
                .forEach(r -> System.out.println("PackagedRolesIT: operator start-up request: " + r));
        assertThat(requests).as("requests of the packaged operator").isNotEmpty()
                .noneMatch(r -> r.contains("customresourcedefinitions"))
                .anyMatch(r -> r.startsWith("GET /apis/streammix.io/v1alpha1/mixtasks"));
        // The controller checks the CRD (when enabled) as it starts, before its informers list anything.
        assertThat(Files.readString(out)).as("the operator's log on stdout").contains("Starting 'mixtask' controller");
    }

    /**
     * An API server that keeps what is created (the leader-election Lease) and has nothing else: empty lists, watches
     * that stay open with no event, 404 for any other object.
     */
    private static void answer(HttpExchange ex, List<String> requests, Map<String, byte[]> store) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        requests.add(method + " " + path + (query == null ? "" : "?" + query));
        // After /api/v1 or /apis/GROUP/VERSION: [namespaces, NS,] RESOURCE [, NAME]
        String rest = path.replaceFirst("^/api/v1", "").replaceFirst("^/apis/[^/]+/[^/]+", "").replaceFirst("^/namespaces/[^/]+", "");
        boolean collection = rest.matches("^/[^/]+$");
        byte[] body = null;
        int code = 404;
        if ("GET".equals(method) && query != null && query.contains("watch=true")) {
            // A watch with no events: open until the test ends (a closed one fails the operator's start).
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().flush();
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        } else if ("GET".equals(method) && collection) {
            code = 200;
            body = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}"
                    .getBytes(StandardCharsets.UTF_8);
        } else if ("POST".equals(method) && collection) {
            var obj = (com.fasterxml.jackson.databind.node.ObjectNode) ControlServer.JSON.readTree(ex.getRequestBody());
            ((com.fasterxml.jackson.databind.node.ObjectNode) obj.get("metadata")).put("resourceVersion", "1");
            body = ControlServer.JSON.writeValueAsBytes(obj);
            store.put(path + "/" + obj.path("metadata").path("name").asText(), body);
            code = 201;
        } else if (store.containsKey(path)) {
            if ("PUT".equals(method)) {
                store.put(path, ex.getRequestBody().readAllBytes());
            }
            body = store.get(path);
            code = 200;
        }
        if (body == null) {
            body = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}"
                    .getBytes(StandardCharsets.UTF_8);
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
