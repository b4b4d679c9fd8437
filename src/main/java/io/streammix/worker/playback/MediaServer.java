package io.streammix.worker.playback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streammix.worker.HttpReplies;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The worker's media port ({@code ControlApi.MEDIA_PORT}): plays the outputs published in {@link LiveStreams}
 * without any media server, at the operator's default play URLs:
 * <ul>
 *   <li>{@code GET /live/<key>.flv}: HTTP-FLV, live, chunked, one thread per client (see {@link FlvBroadcaster});</li>
 *   <li>{@code GET /live/<key>/index.m3u8} and its segments: HLS files as FFmpeg's hls muxer leaves them (it
 *   renames a finished playlist or segment into place, so a response is never a half-written file).</li>
 * </ul>
 * No authentication: play URLs are public, like a media server's play port. Only plain file names inside a
 * published output's HLS directory are served.
 */
public final class MediaServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MediaServer.class);
    public static final String PREFIX = "/live/";
    private static final int MAX_FLV_CLIENTS = 100;
    private static final Pattern HLS_FILE = Pattern.compile("[A-Za-z0-9_-]+\\.(m3u8|ts|m4s|mp4)");
    private static final Map<String, String> TYPES = Map.of(
            "m3u8", "application/vnd.apple.mpegurl",
            "ts", "video/mp2t",
            "m4s", "video/iso.segment",
            "mp4", "video/mp4");

    private final HttpServer server;
    private final ExecutorService pool;
    private final LiveStreams streams;
    private final AtomicInteger flvClients = new AtomicInteger();

    public MediaServer(String host, int port, LiveStreams streams) throws IOException {
        this.streams = streams;
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        // HTTP-FLV clients hold a thread for as long as they play; past MAX_FLV_CLIENTS they are refused (503).
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "media-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                text(ex, 405, "method not allowed\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (!path.startsWith(PREFIX)) {
                text(ex, 404, "not found\n");
                return;
            }
            String rest = path.substring(PREFIX.length());
            if (rest.endsWith(".flv")) {
                flv(ex, rest.substring(0, rest.length() - 4), method.equals("HEAD"));
                return;
            }
            int slash = rest.lastIndexOf('/');
            if (slash <= 0) {
                text(ex, 404, "not found\n");
                return;
            }
            hls(ex, rest.substring(0, slash), rest.substring(slash + 1), method.equals("HEAD"));
        } catch (IOException | RuntimeException e) {
            LOG.debugf("media port: %s %s: %s", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
        }
    }

    private void flv(HttpExchange ex, String key, boolean head) throws IOException {
        FlvBroadcaster b = streams.flv(key);
        if (b == null || !b.ready()) {
            text(ex, 404, "no live stream " + key + "\n");
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "video/x-flv");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        if (head) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        if (flvClients.incrementAndGet() > MAX_FLV_CLIENTS) {
            flvClients.decrementAndGet();
            text(ex, 503, "too many HTTP-FLV clients\n");
            return;
        }
        try {
            ex.sendResponseHeaders(200, 0); // chunked, until the stream ends
            b.stream(ex.getResponseBody());
        } finally {
            flvClients.decrementAndGet();
        }
    }

    private void hls(HttpExchange ex, String key, String file, boolean head) throws IOException {
        Path dir = streams.hls(key);
        if (dir == null || !HLS_FILE.matcher(file).matches()) {
            text(ex, 404, "not found\n");
            return;
        }
        String ext = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        Path f = dir.resolve(file);
        byte[] body;
        try {
            // Whole files only: the muxer renames finished files into place, so this is a consistent version.
            body = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            text(ex, 404, "not found\n");
            return;
        }
        // The playlist changes with every segment; a segment never changes once listed.
        ex.getResponseHeaders().set("Cache-Control", ext.equals("m3u8") ? "no-cache" : "max-age=60");
        if (head) {
            ex.getResponseHeaders().set("Content-Type", TYPES.get(ext));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        HttpReplies.send(ex, 200, TYPES.get(ext), body);
    }

    private static void text(HttpExchange ex, int code, String body) throws IOException {
        HttpReplies.send(ex, code, "text/plain; charset=utf-8", body);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
