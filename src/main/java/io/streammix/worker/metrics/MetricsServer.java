package io.streammix.worker.metrics;

import io.streammix.worker.http.ConnectionGuard;
import io.streammix.worker.http.HttpLimits;
import io.streammix.worker.http.WorkerHttp;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves {@link WorkerMetrics} at {@code GET /metrics} on a port of its own (default {@value #DEFAULT_PORT}), with no
 * authentication: it is read-only and carries no secret (labels are namespace, task and input/output names), so a
 * Prometheus the NetworkPolicy admits can scrape it as it scrapes anything else, without the task's control token,
 * and the control port stays the operator's alone.
 *
 * <p>Threads: requests are parsed on the server's Vert.x event loop ({@link WorkerHttp}, limits {@link
 * HttpLimits#METRICS}), so a client that sends slowly holds no thread and, the cap being full, makes room for the next
 * scrape; a scrape runs on one thread with a queue of 4 (503 beyond: Prometheus scrapes one at a time).
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MetricsServer.class);
    public static final int DEFAULT_PORT = 9102;
    public static final String PATH = "/metrics";
    /** Environment of the worker container: the port, and the task's labels (set by the operator's pod template). */
    public static final String ENV_PORT = "MIXTASK_METRICS_PORT";
    public static final String ENV_NAMESPACE = "MIXTASK_NAMESPACE";
    public static final String ENV_TASK = "MIXTASK_TASK";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final WorkerMetrics metrics;
    private final ExecutorService scrapes = WorkerHttp.boundedPool("metrics", 1, 4);
    private final WorkerHttp http;

    public MetricsServer(String host, int port, WorkerMetrics metrics) throws IOException {
        this.metrics = metrics;
        this.http = new WorkerHttp("metrics port", host, port, HttpLimits.METRICS, this::handle);
    }

    private void handle(HttpServerRequest req) {
        if (!req.path().equals(PATH)) {
            send(req, 404, "text/plain", "not found\n");
        } else if (req.method() != HttpMethod.GET) {
            req.response().putHeader("Allow", "GET");
            send(req, 405, "text/plain", "method not allowed\n");
        } else {
            try {
                scrapes.execute(() -> scrape(req));
            } catch (RejectedExecutionException e) {
                send(req, 503, "text/plain", "busy\n");
            }
        }
    }

    private void scrape(HttpServerRequest req) {
        String text;
        try {
            text = metrics.scrape();
        } catch (RuntimeException e) {
            LOG.error("metrics scrape failed", e);
            send(req, 500, "text/plain", "internal error\n");
            return;
        }
        send(req, 200, CONTENT_TYPE, text);
    }

    private static void send(HttpServerRequest req, int code, String type, String body) {
        HttpServerResponse r = req.response();
        if (r.ended() || r.closed()) {
            return;
        }
        r.setStatusCode(code).putHeader("Content-Type", type).end(body);
    }

    public int port() {
        return http.port();
    }

    /** Connections and deadlines of this server (tests read how many were refused, timed out or closed for room). */
    public ConnectionGuard guard() {
        return http.guard();
    }

    @Override
    public void close() {
        http.close();
        scrapes.shutdownNow();
    }
}
