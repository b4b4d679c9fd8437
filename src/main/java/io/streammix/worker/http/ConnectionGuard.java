package io.streammix.worker.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the connections of one server and gives each a deadline (see {@link HttpLimits}): the JDK server this replaces
 * read request headers on its 2-thread pool with no deadline, so two half-sent requests starved the kubelet's probes.
 * Here a connection always has one armed deadline: headers (from connect), request (from the headers to the end of the
 * response), idle (between kept-alive requests); none while a response streams. Timers fire on the event loop and
 * close the connection.
 */
public final class ConnectionGuard {
    private final Vertx vertx;
    private final HttpLimits limits;
    private final Map<HttpConnection, Deadline> deadlines = new ConcurrentHashMap<>();
    private final Map<String, Integer> perClient = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    public ConnectionGuard(Vertx vertx, HttpLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    /** The server's connection handler. */
    public void accept(HttpConnection conn) {
        String client = conn.remoteAddress() == null ? "?" : conn.remoteAddress().hostAddress();
        int total = open.incrementAndGet();
        int mine = perClient.merge(client, 1, Integer::sum);
        Deadline d = new Deadline(conn);
        deadlines.put(conn, d);
        conn.closeHandler(v -> {
            deadlines.remove(conn);
            d.cancel();
            open.decrementAndGet();
            perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
        });
        if (total > limits.maxConnections() || mine > limits.maxPerClient()) {
            refused.incrementAndGet();
            conn.close();
            return;
        }
        d.arm(limits.headerTimeout());
    }

    /** The request's headers arrived: it has {@code requestTimeout} to be read and answered; then the connection idles. */
    public void started(HttpServerRequest req) {
        Deadline d = deadlines.get(req.connection());
        if (d != null) {
            d.arm(limits.requestTimeout());
            req.response().endHandler(v -> d.arm(limits.idleTimeout()));
        }
    }

    /** The response streams for as long as it plays (the stream has its own slow-client rule): no deadline. */
    public void streaming(HttpServerRequest req) {
        Deadline d = deadlines.get(req.connection());
        if (d != null) {
            d.cancel();
        }
    }

    public int openConnections() {
        return open.get();
    }

    /** Connections closed at once, over a cap. */
    public long refused() {
        return refused.get();
    }

    /** Connections closed because a deadline passed. */
    public long timedOut() {
        return timedOut.get();
    }

    private final class Deadline {
        private final HttpConnection conn;
        private long timer = -1;

        Deadline(HttpConnection conn) {
            this.conn = conn;
        }

        synchronized void arm(Duration after) {
            cancel();
            timer = vertx.setTimer(Math.max(1, after.toMillis()), id -> {
                timedOut.incrementAndGet();
                conn.close();
            });
        }

        synchronized void cancel() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
