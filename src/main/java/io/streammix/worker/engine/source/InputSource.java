package io.streammix.worker.engine.source;

import io.streammix.api.validation.UrlPolicy;

import io.streammix.api.v1alpha1.MixInput;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where and how an input is opened: the URL as FFmpeg wants it, a forced format, protocol options
 * (timeouts), and whether it is a network stream (reconnect with backoff) or a file (loop or stop).
 *
 * @param url     what FFmpeg opens; may carry credentials, so it is never logged: use {@code safeName}
 * @param safeName the URL without user info, path beyond the host, or query: fit for logs and reasons
 */
public record InputSource(String url, String format, Map<String, String> options, boolean network, boolean loop,
                          boolean stillImage, String safeName, long readTimeoutMillis) {

    public InputSource(String url, String format, Map<String, String> options, boolean network, boolean loop,
                       boolean stillImage, String safeName) {
        this(url, format, options, network, loop, stillImage, safeName, READ_TIMEOUT_MS);
    }

    /**
     * The format of a synthetic source: its url is a filter graph, read through libavfilter
     * ({@link io.streammix.worker.media.FilterGraphSource}), never opened as a URL. Not an FFmpeg input format on
     * purpose: FFmpeg's own "lavfi" device lives in libavdevice, which the worker does not load.
     */
    public static final String GRAPH = "graph";

    /** A synthetic source: {@link #url} is a filter graph. */
    public boolean graph() {
        return GRAPH.equals(format);
    }

    /**
     * Read deadline of network inputs: a publisher silent this long counts as gone. The last resort only (a closed
     * connection, an RTMP unpublish or an SRT shutdown end the read at once): a live stream carries a packet every few
     * tens of milliseconds (audio) or at least every frame, so 2.5 s of nothing is a dead peer, while TCP's first
     * retransmissions (0.2 + 0.4 + 0.8 s) still fit in it. It was 5 s, which froze a live show for 5 s + the hold.
     */
    public static final long READ_TIMEOUT_MS = 2_500;
    /**
     * HLS reads wait for the next playlist refresh (up to a target duration, 2 to 10 s) by design: the deadline is the
     * backstop there, and a playlist that stops growing is found by {@code m3u8_hold_counters} instead.
     */
    static final long HLS_READ_TIMEOUT_MS = 20_000;
    /** Reloads of an HLS playlist without a new segment before the stream counts as ended (FFmpeg's default: 1000). */
    static final int HLS_HOLD_RELOADS = 3;
    public static final long CONNECT_TIMEOUT_MS = 8_000;

    /**
     * @param streamUrl turns a streamId into a pull URL (the operator's template); null when the spec
     *                  carries URLs only
     */
    public static InputSource of(MixInput in, java.util.function.Function<String, String> streamUrl) {
        String url = in.url;
        if (url == null && in.streamId != null && streamUrl != null) {
            url = streamUrl.apply(in.streamId);
        }
        if (url == null) {
            throw new IllegalArgumentException("no URL to pull (streamId inputs need the operator's URL template)");
        }
        String refused = io.streammix.api.validation.UrlPolicy.refusal(url, io.streammix.api.validation.UrlPolicy.Use.INPUT);
        if (refused != null) {
            throw new IllegalArgumentException("refused by the URL policy: " + refused);
        }
        boolean loop = Boolean.TRUE.equals(in.loop);
        if (SyntheticSource.matches(url)) {
            return new InputSource(SyntheticSource.toLavfiGraph(url), GRAPH, Map.of(), false, true, false,
                    url.split("\\?")[0]);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        boolean still = lower.matches("^[^?]*\\.(png|jpe?g)(\\?.*)?$");
        int colon = lower.indexOf("://");
        String scheme = colon > 0 ? lower.substring(0, colon) : "file";
        if (scheme.equals("file")) {
            String path = io.streammix.api.validation.LocalPath.path(url).toString(); // decoded as FileAccess checked it
            return new InputSource(path, null, Map.of(), false, loop, still, "file"); // no name: it may come from a Secret
        }
        Map<String, String> opts = new LinkedHashMap<>();
        // Generic per-read timeout of every network protocol (microseconds); the interrupt deadline backs it up.
        opts.put("rw_timeout", Long.toString(READ_TIMEOUT_MS * 1000));
        switch (scheme) {
            // rtmp's own "timeout" option means "listen", so only rw_timeout applies there.
            case "rtmp", "rtmps" -> opts.put("rtmp_live", "live");
            case "rtsp" -> {
                opts.put("timeout", Long.toString(READ_TIMEOUT_MS * 1000));
                opts.put("rtsp_transport", "tcp");
            }
            case "srt" -> opts.put("connect_timeout", Long.toString(CONNECT_TIMEOUT_MS));
            case "http", "https" -> opts.put("timeout", Long.toString(READ_TIMEOUT_MS * 1000));
            default -> throw new IllegalArgumentException("unsupported URL scheme '" + scheme
                    + "' (" + String.join(", ", new java.util.TreeSet<>(UrlPolicy.INPUT_SCHEMES)) + ")");
        }
        if (scheme.startsWith("rtmp") || lower.matches("^https?://[^?#]*\\.flv([?#].*)?$")) {
            // FLV sends its codec headers before any media, so a short probe is enough; FFmpeg's 5 s default held an
            // audio-only stream (no video frame count to end the probe early) silent for 5 s after every connect.
            opts.put("analyzeduration", "1000000");
        }
        long readTimeout = READ_TIMEOUT_MS;
        if (lower.matches("^https?://[^?#]*\\.m3u8([?#].*)?$")) {
            // A live playlist that stops growing ends the stream after a few reloads (about 1.5 target durations),
            // rather than FFmpeg's 1000 reloads (hours); it is then lost and retried like any other.
            opts.put("m3u8_hold_counters", Integer.toString(HLS_HOLD_RELOADS));
            readTimeout = HLS_READ_TIMEOUT_MS;
        }
        return new InputSource(url, null, opts, true, loop, still, safe(url), readTimeout);
    }

    /** scheme://host:port only: user info, stream keys in the path and query strings stay out of logs. */
    public static String safe(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/…";
        } catch (RuntimeException e) {
            return "(unparsable URL)";
        }
    }
}
