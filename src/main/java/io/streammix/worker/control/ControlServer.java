package io.streammix.worker.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.validation.Violation;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.http.HttpLimits;
import io.streammix.worker.http.WorkerHttp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The worker's control API ({@link ControlApi}): status and spec submission behind the bearer token; health checks
 * open (they tell up/down only). Metrics are not here: they have a port of their own without the token
 * ({@link io.streammix.worker.metrics.MetricsServer}).
 *
 * <p>Threads: requests are parsed on the server's Vert.x event loop ({@link WorkerHttp}), which also answers the health
 * checks, at once and without touching anything that can block: no client, however slow, and no engine call, however
 * long (a spec apply decoding an image), can keep a kubelet probe waiting. Authenticated calls run on a pool of two
 * threads with a short queue (503 beyond it). Connections are capped and every request has deadlines
 * ({@link HttpLimits#CONTROL}).
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlServer.class);
    static final int MAX_BODY = 1 << 20;
    /** The most of a too-large body read (and thrown away) so that the client gets its 413 (see {@code tooLarge}). */
    static final int DRAIN_LIMIT = 4 * MAX_BODY;
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What the server serves; the worker wires these to its engine. */
    public interface Backend {
        WorkerReport report();

        /** Applies a submission; the violations when refused, empty when applied. */
        List<Violation> apply(SpecSubmission submission);

        /** Called on the event loop: must answer at once (a volatile read, no lock). */
        boolean ready();
    }

    private final WorkerHttp http;
    private final ExecutorService calls = WorkerHttp.boundedPool("control-api", 2, 8);
    private final BearerAuth auth;
    private final Backend backend;

    public ControlServer(String host, int port, BearerAuth auth, Backend backend) throws IOException {
        this(host, port, auth, backend, HttpLimits.CONTROL);
    }

    public ControlServer(String host, int port, BearerAuth auth, Backend backend, HttpLimits limits) throws IOException {
        this.auth = auth;
        this.backend = backend;
        this.http = new WorkerHttp("control API", host, port, limits, this::handle);
    }

    public int port() {
        return http.port();
    }

    /** Connections and deadlines of this server (tests read how many were refused or timed out). */
    public io.streammix.worker.http.ConnectionGuard guard() {
        return http.guard();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.equals(ControlApi.LIVE)) {
            health(req, true);
            return;
        }
        if (path.equals(ControlApi.READY)) {
            boolean ready;
            try {
                ready = backend.ready();
            } catch (RuntimeException e) {
                ready = false;
            }
            health(req, ready);
            return;
        }
        if (!auth.allows(req.getHeader("Authorization"))) {
            req.response().putHeader("WWW-Authenticate", "Bearer");
            send(req, 401, "text/plain", "unauthorized\n");
            return;
        }
        switch (path) {
            case ControlApi.STATUS -> only(req, HttpMethod.GET, () -> json(req, 200, backend.report()));
            case ControlApi.SPEC -> {
                if (req.method() != HttpMethod.PUT) {
                    methodNotAllowed(req, "PUT");
                } else {
                    putSpec(req);
                }
            }
            default -> send(req, 404, "text/plain", "not found\n");
        }
    }

    private static void health(HttpServerRequest req, boolean up) {
        send(req, up ? 200 : 503, "text/plain", up ? "up\n" : "down\n");
    }

    private void only(HttpServerRequest req, HttpMethod method, Runnable call) {
        if (req.method() != method) {
            methodNotAllowed(req, method.name());
            return;
        }
        offload(req, call);
    }

    private static void methodNotAllowed(HttpServerRequest req, String allow) {
        req.response().putHeader("Allow", allow);
        send(req, 405, "text/plain", "method not allowed\n");
    }

    /** Runs an engine call off the event loop; a full pool answers 503 rather than queueing without bound. */
    private void offload(HttpServerRequest req, Runnable call) {
        req.pause();
        try {
            calls.execute(() -> {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    LOG.error("control API failure", e);
                    send(req, 500, "text/plain", "internal error\n");
                }
            });
        } catch (RejectedExecutionException e) {
            send(req, 503, "text/plain", "busy\n");
        }
    }

    private void putSpec(HttpServerRequest req) {
        String length = req.getHeader("Content-Length");
        if (length != null && parseLong(length) > MAX_BODY) {
            tooLarge(req, parseLong(length) <= DRAIN_LIMIT ? 0 : -1);
            return;
        }
        Buffer body = Buffer.buffer();
        req.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY) {
                tooLarge(req, body.length() + chunk.length());
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (req.response().ended()) {
                return;
            }
            SpecSubmission sub;
            try {
                sub = JSON.readValue(body.getBytes(), SpecSubmission.class);
            } catch (IOException e) {
                badRequest(req, "body is not a SpecSubmission JSON: " + firstLine(e.getMessage()));
                return;
            }
            // JSON's null and an object without a spec parse fine: they are refused here, naming what is missing.
            if (sub == null) {
                badRequest(req, "body is JSON null: a SpecSubmission object ({\"generation\": ..., \"spec\": {...}}) is required");
                return;
            }
            if (sub.spec() == null) {
                badRequest(req, "spec: required");
                return;
            }
            offload(req, () -> {
                List<Violation> v2 = backend.apply(sub);
                if (!v2.isEmpty()) {
                    json(req, 422, Map.of("message", "spec refused", "violations",
                            v2.stream().map(x -> Map.of("field", x.field(), "message", x.toString())).toList()));
                    return;
                }
                json(req, 200, backend.report());
            });
        });
    }

    private static void badRequest(HttpServerRequest req, String message) {
        json(req, 400, Map.of("message", message));
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static void json(HttpServerRequest req, int code, Object body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        send(req, code, "application/json", text);
    }

    /**
     * 413 for a body over {@link #MAX_BODY}. A client that is still sending only reads the answer once it has sent
     * everything (Java's HttpClient does so): closing at once would give it a broken pipe instead of the 413. So a body of
     * at most {@link #DRAIN_LIMIT} is read to its end and discarded (the request deadline bounds the time), and the
     * connection closed after the answer; a larger one is answered and closed at once.
     *
     * @param received bytes already read; -1: do not drain
     */
    private static void tooLarge(HttpServerRequest req, long received) {
        if (received < 0) {
            req.response().putHeader("Connection", "close");
            send(req, 413, "text/plain", "body too large\n");
            req.connection().close();
            return;
        }
        long[] seen = {received};
        req.handler(chunk -> {
            seen[0] += chunk.length();
            if (seen[0] > DRAIN_LIMIT) {
                req.connection().close();
            }
        });
        // "Connection: close": the server closes the connection once the answer is out.
        req.endHandler(v -> {
            req.response().putHeader("Connection", "close");
            send(req, 413, "text/plain", "body too large\n");
        });
    }

    private static void send(HttpServerRequest req, int code, String type, String body) {
        HttpServerResponse r = req.response();
        if (r.ended() || r.closed()) {
            return;
        }
        r.setStatusCode(code).putHeader("Content-Type", type).end(body);
    }

    @Override
    public void close() {
        http.close();
        calls.shutdownNow();
    }
}
