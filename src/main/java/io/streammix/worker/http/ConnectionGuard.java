package io.streammix.worker.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the connections of one server, gives each a deadline (see {@link HttpLimits}) and keeps the cap from starving
 * the next probe or scrape.
 *
 * <p>Deadlines: a connection always has one armed deadline: headers (from connect), request (from the headers to the
 * end of the response), idle (between kept-alive requests); none while a response streams. A response sent before its
 * request's body was read (a 401 to a PUT whose body never ends) leaves the connection the header deadline to finish
 * that body, then it is closed; meanwhile it counts as waiting, not busy. Timers fire on the event loop and close the connection.
 *
 * <p>Room for probes: a connection's path is only known once its headers are in, so the cap cannot be split by path.
 * Instead, when the cap is full, a new connection takes the slot of the connection that has waited longest for a
 * request (connected without finishing its headers, or idle between requests), which is closed; only when every slot
 * is busy answering a request is the new connection refused. Holding a slot therefore takes a request in progress,
 * which on the worker's ports needs the token (control) or a live stream (media): idle and half-sent connections, from
 * however many addresses, cannot keep a probe out. The per-address cap still refuses at once.
 */
public final class ConnectionGuard {
    private final Vertx vertx;
    private final HttpLimits limits;
    private final Map<HttpConnection, Slot> slots = new HashMap<>();
    private final Map<String, Integer> perClient = new HashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();

    public ConnectionGuard(Vertx vertx, HttpLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    /** The server's connection handler. */
    public void accept(HttpConnection conn) {
        String client = conn.remoteAddress() == null ? "?" : conn.remoteAddress().hostAddress();
        Slot slot = new Slot(conn, client);
        Slot victim = null;
        boolean admitted = false;
        synchronized (this) {
            if (perClient.getOrDefault(client, 0) < limits.maxPerClient()) {
                if (slots.size() >= limits.maxConnections()) {
                    victim = longestWaiting();
                    if (victim != null) {
                        release(victim);
                    }
                }
                if (slots.size() < limits.maxConnections()) {
                    slots.put(conn, slot);
                    perClient.merge(client, 1, Integer::sum);
                    admitted = true;
                }
            }
        }
        if (victim != null) {
            evicted.incrementAndGet();
            victim.conn.close();
        }
        if (!admitted) {
            refused.incrementAndGet();
            conn.close();
            return;
        }
        conn.closeHandler(v -> {
            synchronized (this) {
                release(slot);
            }
        });
        slot.waiting(limits.headerTimeout());
    }

    /** The request's headers arrived: it has {@code requestTimeout} to be read and answered; then the connection idles. */
    public void started(HttpServerRequest req) {
        Slot slot = slot(req.connection());
        if (slot == null) {
            return;
        }
        slot.busy(limits.requestTimeout());
        req.response().endHandler(v -> {
            if (req.isEnded()) {
                slot.waiting(limits.idleTimeout());
                return;
            }
            // Answered before the body was read (refused, or a GET answered at once): the handler is done with the
            // request. What is left of the body is thrown away, within the header deadline (closing at once would give
            // a client still sending a broken pipe instead of the answer), and the slot may go to a new connection.
            slot.waiting(limits.headerTimeout());
            try {
                req.handler(null);
                req.endHandler(end -> slot.waiting(limits.idleTimeout()));
                req.resume();
            } catch (IllegalStateException e) {
                slot.waiting(limits.idleTimeout()); // the request ended meanwhile (the response came from another thread)
            }
        });
    }

    /** The response streams for as long as it plays (the stream has its own slow-client rule): no deadline. */
    public void streaming(HttpServerRequest req) {
        Slot slot = slot(req.connection());
        if (slot != null) {
            slot.busy(null);
        }
    }

    public synchronized int openConnections() {
        return slots.size();
    }

    /** Connections closed at once, over a cap with every slot busy, or over the per-address cap. */
    public long refused() {
        return refused.get();
    }

    /** Connections closed because a deadline passed. */
    public long timedOut() {
        return timedOut.get();
    }

    /** Connections waiting for a request that were closed to make room for a new one. */
    public long evicted() {
        return evicted.get();
    }

    private synchronized Slot slot(HttpConnection conn) {
        return slots.get(conn);
    }

    /** Under the lock: the slot that has waited longest for a request, or null when all are busy. */
    private Slot longestWaiting() {
        Slot oldest = null;
        for (Slot s : slots.values()) {
            if (!s.busy && (oldest == null || s.waitingSince - oldest.waitingSince < 0)) {
                oldest = s;
            }
        }
        return oldest;
    }

    /** Under the lock: frees the slot (once) and cancels its deadline. */
    private void release(Slot slot) {
        if (slots.remove(slot.conn, slot)) {
            perClient.computeIfPresent(slot.client, (k, n) -> n <= 1 ? null : n - 1);
        }
        slot.released = true;
        slot.cancel();
    }

    /** One admitted connection; its state is read and written under the guard's lock. */
    private final class Slot {
        private final HttpConnection conn;
        private final String client;
        private boolean busy;
        private boolean released;
        private long waitingSince;
        private long timer = -1;

        Slot(HttpConnection conn, String client) {
            this.conn = conn;
            this.client = client;
        }

        /** Waits for a request (may be closed to make room) until {@code deadline}. */
        void waiting(Duration deadline) {
            synchronized (ConnectionGuard.this) {
                busy = false;
                waitingSince = System.nanoTime();
                arm(deadline);
            }
        }

        /** Busy with a request (never closed to make room) until {@code deadline}; null: no deadline. */
        void busy(Duration deadline) {
            synchronized (ConnectionGuard.this) {
                busy = true;
                arm(deadline);
            }
        }

        private void arm(Duration after) {
            cancel();
            if (after != null && !released) {
                timer = vertx.setTimer(Math.max(1, after.toMillis()), id -> {
                    timedOut.incrementAndGet();
                    conn.close();
                });
            }
        }

        private void cancel() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
