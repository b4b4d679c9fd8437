package io.streammix.operator.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.WorkerReport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for the workers' control API on 127.0.0.1: one server for all tasks, each under
 * {@code /{namespace}/{task}} (the operator's control URL template points there in tests). It answers
 * {@code GET /status} with the report a test set, checks the bearer token against the task's Secret,
 * and records {@code PUT /spec} submissions (applying their generation, as a real worker would).
 */
public final class FakeWorker implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpServer server;
    private final Map<String, WorkerReport> reports = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> submissions = new ConcurrentHashMap<>();
    private final AtomicInteger authorized = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile Function<String, String> expectedToken = key -> null;
    private volatile boolean anyToken;
    private final java.util.Set<String> failingPuts = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> putAttempts = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> submittedAtNanos = new ConcurrentHashMap<>();

    public FakeWorker() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The operator's control URL template for this fake. */
    public String controlUrlTemplate() {
        return "http://127.0.0.1:" + port() + "/{namespace}/{task}";
    }

    /** Where to find a task's token ("namespace/task" to token), e.g. its Secret in the mock API server. */
    public void expectTokens(Function<String, String> lookup) {
        this.expectedToken = lookup;
    }

    /** Benchmark mode: any non-empty bearer token is accepted (no API call per request). */
    public void acceptAnyToken() {
        this.anyToken = true;
    }

    public void report(String namespace, String task, WorkerReport report) {
        reports.put(namespace + "/" + task, report);
    }

    public void forget(String namespace, String task) {
        reports.remove(namespace + "/" + task);
    }

    public List<JsonNode> submissions(String namespace, String task) {
        return submissions.getOrDefault(namespace + "/" + task, List.of());
    }

    /** From now on, PUT /spec of this task answers 503 (a worker that does not take specs); false to heal it. */
    public void failSpecPuts(String namespace, String task, boolean fail) {
        if (fail) {
            failingPuts.add(namespace + "/" + task);
        } else {
            failingPuts.remove(namespace + "/" + task);
        }
    }

    /** PUT /spec calls received for this task, failed ones included. */
    public int specPutAttempts(String namespace, String task) {
        AtomicInteger n = putAttempts.get(namespace + "/" + task);
        return n == null ? 0 : n.get();
    }

    /** System.nanoTime() of each accepted submission of this task, in order. */
    public List<Long> submittedAtNanos(String namespace, String task) {
        return submittedAtNanos.getOrDefault(namespace + "/" + task, List.of());
    }

    public int authorizedCalls() {
        return authorized.get();
    }

    public int refusedCalls() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // /{namespace}/{task}/{status|spec}
            String[] parts = exchange.getRequestURI().getPath().split("/");
            if (parts.length != 4) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String key = parts[1] + "/" + parts[2];
            String path = "/" + parts[3];
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String expected = anyToken ? null : expectedToken.apply(key);
            boolean ok = auth != null && auth.startsWith("Bearer ") && auth.length() > 7
                    && (anyToken || (expected != null && auth.equals("Bearer " + expected)));
            if (!ok) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            authorized.incrementAndGet();
            if (ControlApi.SPEC.equals(path) && "PUT".equals(exchange.getRequestMethod())) {
                long at = System.nanoTime();
                putAttempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                if (failingPuts.contains(key)) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                submittedAtNanos.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(at);
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                submissions.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(body);
                reports.computeIfPresent(key, (k, r) -> withGeneration(r, body.get("generation").asLong(), body.path("digest").asText(null)));
            } else if (!ControlApi.STATUS.equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            WorkerReport report = reports.get(key);
            if (report == null) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] body = JSON.writeValueAsBytes(report);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The report after a PUT: the new generation and, like a real worker, the digest of what it now runs. */
    private static WorkerReport withGeneration(WorkerReport r, long generation, String digest) {
        return new WorkerReport(r.state(), r.startedAt(), r.mixDurationSeconds(), generation, r.seq(), r.inputs(), r.outputs(),
                r.warnings(), new WorkerReport.UpdateResult(generation, "Applied", "live"), digest);
    }

    /** The same report, running the submission with this digest (what a worker started from the task's Secret says). */
    public static WorkerReport withDigest(WorkerReport r, String digest) {
        return new WorkerReport(r.state(), r.startedAt(), r.mixDurationSeconds(), r.generation(), r.seq(), r.inputs(), r.outputs(),
                r.warnings(), r.lastUpdate(), digest);
    }

    /** A worker mixing since {@code startedAgo} seconds, running {@code generation}, every input and output live. */
    public static WorkerReport running(long generation, long startedAgo, List<String> inputs, List<String> outputs) {
        return withInputState(generation, startedAgo, inputs, outputs, null);
    }

    /** Same, with input {@code lost} reported Lost (and the worker Degraded). */
    public static WorkerReport withInputState(long generation, long startedAgo, List<String> inputs, List<String> outputs, String lost) {
        String since = Instant.now().minusSeconds(startedAgo).toString();
        List<WorkerReport.Input> in = inputs.stream().map(n -> n.equals(lost)
                ? new WorkerReport.Input(n, WorkerReport.Input.LOST, Instant.now().toString(), "no data for 5 s from rtmp://secret-host/key", null)
                : new WorkerReport.Input(n, WorkerReport.Input.LIVE, since, null, 25.0)).toList();
        List<WorkerReport.Output> out = outputs.stream()
                .map(n -> new WorkerReport.Output(n, WorkerReport.Output.LIVE, since, null, 1_000_000L, 100L, null)).toList();
        String state = lost == null ? WorkerReport.RUNNING : WorkerReport.DEGRADED;
        return new WorkerReport(state, since, startedAgo, generation, null, in, out, null, null);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
