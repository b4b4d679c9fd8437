package io.streammix.worker.media;

import io.streammix.api.validation.UrlPolicy;

import java.net.UnknownHostException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The check before FFmpeg opens a URL ({@link Demuxer#open}, {@link Muxer}), on the thread that opens it (never under
 * the engine's lock): the host a URL names is resolved (numeric hosts as the C resolver reads them) and every address
 * it resolves to must pass the {@link EgressFence}. Admission refuses known hosts by name; this catches names that
 * resolve to them.
 *
 * <p>That checks the first connection only. What FFmpeg connects to afterwards over HTTP(S) (a redirect, an HLS
 * playlist's variants, segments and keys) goes through the {@link FenceProxy}, which checks each hop and connects to the
 * address it checked ({@link #withWhitelist} sets FFmpeg's {@code http_proxy}). RTMP, SRT and RTSP are checked here
 * only: FFmpeg resolves their host again when it connects, so a name that changes its answer in between (DNS
 * rebinding) is left to the egress NetworkPolicy, as is an RTSP server's redirect.
 *
 * <p>Every open also carries a {@code protocol_whitelist} ({@link UrlPolicy#protocols}): what FFmpeg opens on the way
 * stays within the URL's own protocols.
 */
public final class OpenGuard {
    private static final Pattern NO_AUTHORITY = Pattern.compile(io.streammix.api.v1alpha1.SpecRules.RE_NO_AUTHORITY);

    private OpenGuard() {
    }

    /** Throws MediaException naming {@code name} (never the URL) when {@code url}'s host is one a worker must not reach. */
    public static void check(String url, String name) {
        if (!UrlPolicy.isFile(url) && NO_AUTHORITY.matcher(url).find()) {
            throw new MediaException(name + ": refused: not allowed: a network URL must be scheme://host...");
        }
        String host = UrlPolicy.host(url);
        if (host == null) {
            return; // a file or a lavfi graph
        }
        if (host.isEmpty()) {
            return;
        }
        try {
            EgressFence.current().resolve(host);
        } catch (EgressFence.Refused e) {
            throw new MediaException(name + ": refused: " + e.getMessage());
        } catch (IllegalArgumentException e) { // the admin's CIDRs do not parse: nothing is opened
            throw new MediaException(name + ": refused: " + e.getMessage());
        } catch (UnknownHostException | SecurityException e) {
            // FFmpeg reports it in its own words
        }
    }

    /**
     * {@code options} with the whitelist of {@code url}'s scheme added (unless the caller gave one) and, for HTTP(S),
     * FFmpeg's {@code http_proxy} set to the {@link FenceProxy} whatever the caller gave: every request FFmpeg makes for
     * this input, and its HLS demuxer's nested opens (which inherit {@code http_proxy}), then pass the fence.
     */
    public static Map<String, String> withWhitelist(String url, Map<String, String> options) {
        Map<String, String> o = new java.util.LinkedHashMap<>(options);
        o.putIfAbsent("protocol_whitelist", UrlPolicy.protocols(url));
        String scheme = UrlPolicy.scheme(url);
        if ("http".equals(scheme) || "https".equals(scheme)) {
            o.put("http_proxy", FenceProxy.url());
        }
        return o;
    }
}
