package io.streammix.startmix.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.startmix.StartMixApi;
import io.streammix.startmix.StartMixResponse;
import io.streammix.worker.http.HttpLimits;
import io.streammix.worker.http.WorkerHttp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The embedded start-mix server's HTTP transport, on the worker's HTTP stack ({@link WorkerHttp}: one Vert.x event
 * loop, {@link io.streammix.worker.http.ConnectionGuard} deadlines and caps). The JDK {@code HttpServer} it replaces
 * read each body on one of 8 pool threads with no deadline: 8 clients sending a body slowly stopped it answering
 * (issue 21, finding 4). Here headers and bodies are read on the event loop, each connection has a header, request
 * and idle deadline ({@link #LIMITS}), connections are capped in all and per client address, and only a whole body
 * reaches a pool thread, where {@link StartMixApi} runs (it may wait for the API server or start an engine).
 *
 * <p>Threads: the event loop parses and answers; {@code start-mix-http} pool threads (at most {@value #THREADS}, then
 * {@value #QUEUE} waiting, then 503) run the API.
 */
final class StartMixHttp implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StartMixHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A start-mix request is a few KiB; anything much larger is not one. */
    static final int MAX_BODY = 1 << 20;
    static final int THREADS = 8;
    static final int QUEUE = 32;
    /**
     * Backends calling the API, a few connections each: 64 at once, 16 per address; 5 s for the headers, 60 s for the
     * body and the answer (a start waits for its engine to open its outputs), 30 s idle between kept-alive requests.
     */
    static final HttpLimits LIMITS = new HttpLimits(64, 16, Duration.ofSeconds(5), Duration.ofSeconds(60),
            Duration.ofSeconds(30), 8 * 1024);

    private final StartMixApi api;
    private final ExecutorService pool = WorkerHttp.boundedPool("start-mix-http", THREADS, QUEUE);
    private final WorkerHttp http;

    StartMixHttp(String host, int port, StartMixApi api, HttpLimits limits) throws IOException {
        this.api = api;
        this.http = new WorkerHttp("start-mix API", host, port, limits, this::handle);
    }

    int port() {
        return http.port();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        boolean start = "/cgi/start-mix".equals(path);
        if (!start && !"/cgi/stop-mix".equals(path)) {
            send(req, 404, StartMixResponse.error(StartMixApi.FAILED, "not found: POST /cgi/start-mix or /cgi/stop-mix"));
            return;
        }
        if (req.method() != HttpMethod.POST) {
            req.response().putHeader("Allow", "POST");
            send(req, 405, StartMixResponse.error(StartMixApi.FAILED, "method not allowed: POST"));
            return;
        }
        String length = req.getHeader("Content-Length");
        if (length != null && parseLong(length) > MAX_BODY) {
            tooLarge(req);
            return;
        }
        Buffer body = Buffer.buffer();
        req.handler(chunk -> {
            if (req.response().ended()) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY) {
                tooLarge(req);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (req.response().ended()) {
                return;
            }
            // Read from the URL and headers now: the request object is the event loop's.
            String token = req.getParam("access_token");
            String authorization = req.getHeader("Authorization");
            byte[] bytes = body.getBytes();
            try {
                pool.execute(() -> {
                    try {
                        StartMixApi.Reply r = start ? api.start(token, authorization, bytes) : api.stop(token, authorization, bytes);
                        send(req, r.status(), r.body());
                    } catch (RuntimeException e) {
                        LOG.error("start-mix API failure", e);
                        send(req, 500, StartMixResponse.error(StartMixApi.FAILED, "internal error: " + e.getClass().getSimpleName()));
                    }
                });
            } catch (RejectedExecutionException e) {
                send(req, 503, StartMixResponse.error(StartMixApi.BUSY, "busy: too many requests at once; retry"));
            }
        });
    }

    /** 413 and the connection closed: the rest of the body is not read. */
    private static void tooLarge(HttpServerRequest req) {
        req.response().putHeader("Connection", "close");
        send(req, 413, StartMixResponse.error(StartMixApi.INVALID, "request body: larger than 1 MiB"));
        req.connection().close();
    }

    private static void send(HttpServerRequest req, int status, StartMixResponse body) {
        HttpServerResponse r = req.response();
        if (r.ended() || r.closed()) {
            return;
        }
        try {
            r.setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Stops listening; requests running on the pool finish or are interrupted. */
    @Override
    public void close() {
        http.close();
        pool.shutdownNow();
    }
}
