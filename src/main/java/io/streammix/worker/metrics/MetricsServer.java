package io.streammix.worker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streammix.worker.HttpReplies;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@link WorkerMetrics} at {@code GET /metrics} on a port of its own (default {@value #DEFAULT_PORT}), with no
 * authentication: it is read-only and carries no secret (labels are namespace, task and input/output names), so a
 * Prometheus the NetworkPolicy admits can scrape it as it scrapes anything else, without the task's control token,
 * and the control port stays the operator's alone. One thread: scrapes are rare and each is whole.
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

    private final HttpServer server;
    private final ExecutorService executor;

    public MetricsServer(String host, int port, WorkerMetrics metrics) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 8);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", ex -> serve(ex, metrics));
        server.start();
    }

    private static void serve(HttpExchange ex, WorkerMetrics metrics) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals(PATH)) {
                HttpReplies.send(ex, 404, "text/plain", "not found\n");
            } else if (!ex.getRequestMethod().equals("GET")) {
                ex.getResponseHeaders().add("Allow", "GET");
                HttpReplies.send(ex, 405, "text/plain", "method not allowed\n");
            } else {
                HttpReplies.send(ex, 200, CONTENT_TYPE, metrics.scrape());
            }
        } catch (RuntimeException e) {
            LOG.error("metrics scrape failed", e);
            HttpReplies.send(ex, 500, "text/plain", "internal error\n");
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
