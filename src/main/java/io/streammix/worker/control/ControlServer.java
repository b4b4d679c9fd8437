package io.streammix.worker.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streammix.worker.HttpReplies;
import io.streammix.api.validation.Violation;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The worker's control API ({@link ControlApi}) on the JDK's HTTP server: status and spec submission behind the
 * bearer token; health checks open (they tell up/down only). Metrics are not here: they have a port of their own
 * without the token ({@link io.streammix.worker.metrics.MetricsServer}).
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlServer.class);
    private static final int MAX_BODY = 1 << 20;
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What the server serves; the worker wires these to its engine. */
    public interface Backend {
        WorkerReport report();

        /** Applies a submission; the violations when refused, empty when applied. */
        List<Violation> apply(SpecSubmission submission);

        boolean ready();
    }

    private final HttpServer server;
    private final BearerAuth auth;
    private final Backend backend;

    public ControlServer(String host, int port, BearerAuth auth, Backend backend) throws IOException {
        this.auth = auth;
        this.backend = backend;
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "control-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext(ControlApi.LIVE, ex -> health(ex, () -> true));
        server.createContext(ControlApi.READY, ex -> health(ex, backend::ready));
        server.createContext(ControlApi.STATUS, ex -> guarded(ex, "GET", () -> json(ex, 200, backend.report())));
        server.createContext(ControlApi.SPEC, ex -> guarded(ex, "PUT", () -> putSpec(ex)));
        server.createContext("/", ex -> guarded(ex, "GET", () -> send(ex, 404, "text/plain", "not found\n")));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private interface Action {
        void run() throws IOException;
    }

    private void health(HttpExchange ex, BooleanSupplier up) throws IOException {
        try (ex) {
            boolean ok = up.getAsBoolean();
            send(ex, ok ? 200 : 503, "text/plain", ok ? "up\n" : "down\n");
        }
    }

    private void guarded(HttpExchange ex, String method, Action action) throws IOException {
        try (ex) {
            if (!auth.allows(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                send(ex, 401, "text/plain", "unauthorized\n");
                return;
            }
            if (!ex.getRequestMethod().equals(method)) {
                ex.getResponseHeaders().add("Allow", method);
                send(ex, 405, "text/plain", "method not allowed\n");
                return;
            }
            action.run();
        } catch (RuntimeException e) {
            LOG.error("control API failure", e);
            send(ex, 500, "text/plain", "internal error\n");
        }
    }

    private void putSpec(HttpExchange ex) throws IOException {
        SpecSubmission sub;
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                send(ex, 413, "text/plain", "body too large\n");
                return;
            }
            sub = JSON.readValue(body, SpecSubmission.class);
        } catch (IOException e) {
            json(ex, 400, Map.of("message", "body is not a SpecSubmission JSON: " + firstLine(e.getMessage())));
            return;
        }
        List<Violation> v = backend.apply(sub);
        if (!v.isEmpty()) {
            json(ex, 422, Map.of("message", "spec refused", "violations",
                    v.stream().map(x -> Map.of("field", x.field(), "message", x.toString())).toList()));
            return;
        }
        json(ex, 200, backend.report());
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static void json(HttpExchange ex, int code, Object body) throws IOException {
        send(ex, code, "application/json", JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        HttpReplies.send(ex, code, type, body);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
