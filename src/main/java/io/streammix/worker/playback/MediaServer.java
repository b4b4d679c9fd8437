package io.streammix.worker.playback;

import io.streammix.worker.http.HttpLimits;
import io.streammix.worker.http.WorkerHttp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/**
 * The worker's media port ({@code ControlApi.MEDIA_PORT}): plays the outputs published in {@link LiveStreams}
 * without any media server, at the operator's default play URLs:
 * <ul>
 *   <li>{@code GET /live/<key>.flv}: HTTP-FLV, live, chunked, one streaming thread per client (see
 *   {@link FlvBroadcaster}), at most {@value #MAX_FLV_CLIENTS} (503 beyond);</li>
 *   <li>{@code GET /live/<key>/index.m3u8} and its segments: HLS files as FFmpeg's hls muxer leaves them (it
 *   renames a finished playlist or segment into place, so a response is never a half-written file), read on a
 *   small bounded pool.</li>
 * </ul>
 * No authentication: play URLs are public, like a media server's play port. Only plain file names inside a
 * published output's HLS directory are served. Requests are parsed on a Vert.x event loop ({@link WorkerHttp}): a slow
 * client holds a connection slot for a few seconds at most ({@link HttpLimits#MEDIA}), never a thread.
 */
public final class MediaServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MediaServer.class);
    public static final String PREFIX = "/live/";
    static final int MAX_FLV_CLIENTS = 100;
    private static final Pattern HLS_FILE = Pattern.compile("[A-Za-z0-9_-]+\\.(m3u8|ts|m4s|mp4)");
    private static final Map<String, String> TYPES = Map.of(
            "m3u8", "application/vnd.apple.mpegurl",
            "ts", "video/mp2t",
            "m4s", "video/iso.segment",
            "mp4", "video/mp4");

    private final WorkerHttp http;
    private final ExecutorService flvPool = WorkerHttp.boundedPool("media-flv", MAX_FLV_CLIENTS, 0);
    private final ExecutorService filePool = WorkerHttp.boundedPool("media-hls", 2, 64);
    private final LiveStreams streams;

    public MediaServer(String host, int port, LiveStreams streams) throws IOException {
        this(host, port, streams, HttpLimits.MEDIA);
    }

    public MediaServer(String host, int port, LiveStreams streams, HttpLimits limits) throws IOException {
        this.streams = streams;
        this.http = new WorkerHttp("media port", host, port, limits, this::handle);
    }

    public int port() {
        return http.port();
    }

    public io.streammix.worker.http.ConnectionGuard guard() {
        return http.guard();
    }

    private void handle(HttpServerRequest req) {
        req.response().putHeader("Access-Control-Allow-Origin", "*");
        HttpMethod method = req.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            req.response().putHeader("Allow", "GET, HEAD");
            text(req, 405, "method not allowed\n");
            return;
        }
        String path = req.path();
        if (!path.startsWith(PREFIX)) {
            text(req, 404, "not found\n");
            return;
        }
        String rest = path.substring(PREFIX.length());
        boolean head = method == HttpMethod.HEAD;
        if (rest.endsWith(".flv")) {
            flv(req, rest.substring(0, rest.length() - 4), head);
            return;
        }
        int slash = rest.lastIndexOf('/');
        if (slash <= 0) {
            text(req, 404, "not found\n");
            return;
        }
        hls(req, rest.substring(0, slash), rest.substring(slash + 1), head);
    }

    private void flv(HttpServerRequest req, String key, boolean head) {
        FlvBroadcaster b = streams.flv(key);
        if (b == null || !b.ready()) {
            text(req, 404, "no live stream " + key + "\n");
            return;
        }
        HttpServerResponse r = req.response();
        r.putHeader("Content-Type", "video/x-flv").putHeader("Cache-Control", "no-cache");
        if (head) {
            r.setStatusCode(200).end();
            return;
        }
        // Before the stream starts: a stream that ends at once must leave its connection waiting, not busy for good.
        http.guard().streaming(req);
        try {
            flvPool.execute(() -> {
                try {
                    r.setChunked(true).setStatusCode(200);
                    b.stream(new ResponseStream(r));
                } catch (RuntimeException e) {
                    LOG.debugf("HTTP-FLV %s: %s", key, e.toString());
                } finally {
                    if (r.writeQueueFull()) {
                        req.connection().close(); // dropped as too slow: what it did not read is thrown away
                    } else if (!r.ended() && !r.closed()) {
                        r.end();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            text(req, 503, "too many HTTP-FLV clients\n");
        }
    }

    private void hls(HttpServerRequest req, String key, String file, boolean head) {
        Path dir = streams.hls(key);
        if (dir == null || !HLS_FILE.matcher(file).matches()) {
            text(req, 404, "not found\n");
            return;
        }
        String ext = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        Path f = dir.resolve(file);
        try {
            filePool.execute(() -> {
                byte[] body;
                try {
                    // Whole files only: the muxer renames finished files into place, so this is a consistent version.
                    body = Files.readAllBytes(f);
                } catch (NoSuchFileException e) {
                    text(req, 404, "not found\n");
                    return;
                } catch (IOException e) {
                    text(req, 500, "cannot read\n");
                    return;
                }
                HttpServerResponse r = req.response();
                if (r.closed() || r.ended()) {
                    return;
                }
                // The playlist changes with every segment; a segment never changes once listed.
                r.putHeader("Cache-Control", ext.equals("m3u8") ? "no-cache" : "max-age=60")
                        .putHeader("Content-Type", TYPES.get(ext)).setStatusCode(200);
                if (head) {
                    r.end();
                } else {
                    r.end(Buffer.buffer(body));
                }
            });
        } catch (RejectedExecutionException e) {
            text(req, 503, "busy\n");
        }
    }

    private static void text(HttpServerRequest req, int code, String body) {
        HttpServerResponse r = req.response();
        if (r.closed() || r.ended()) {
            return;
        }
        r.setStatusCode(code).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }

    @Override
    public void close() {
        http.close();
        flvPool.shutdownNow();
        filePool.shutdownNow();
    }
}
