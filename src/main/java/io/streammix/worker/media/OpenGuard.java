package io.streammix.worker.media;

import io.streammix.api.validation.NumericHost;
import io.streammix.api.validation.UrlPolicy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The last check before FFmpeg opens a URL ({@link Demuxer#open}, {@link Muxer}), on the thread that opens it (never
 * under the engine's lock): the host a URL names is resolved and refused when it is link-local (169.254.0.0/16 and
 * fe80::/10, where the cloud metadata services answer), a known metadata address, or the Kubernetes API server's
 * service address ({@code KUBERNETES_SERVICE_HOST}, set in every pod). Admission refuses these by name; this catches
 * names that resolve to them. FFmpeg resolves again when it connects, so a name that changes its answer in between
 * (DNS rebinding) is left to the NetworkPolicy's egress rules: this is a second fence, not the only one.
 *
 * <p>Every open also carries a {@code protocol_whitelist} ({@link UrlPolicy#protocols}): what FFmpeg opens on the way
 * (an HLS playlist's segments, a redirect) stays within the URL's own protocols.
 */
public final class OpenGuard {
    private static final Pattern NO_AUTHORITY = Pattern.compile(io.streammix.api.v1alpha1.SpecRules.RE_NO_AUTHORITY);
    private static final String API_SERVER = System.getenv("KUBERNETES_SERVICE_HOST");

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
        if (NumericHost.ambiguous(host)) {
            throw new MediaException(name + ": refused: not allowed: numeric hosts only in dotted decimal");
        }
        InetAddress[] addresses;
        try {
            byte[] numeric = NumericHost.inetAton(host);
            // Read as the C resolver reads it, not as Java would (which may take it for a name).
            addresses = numeric != null ? new InetAddress[] {InetAddress.getByAddress(numeric)} : InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return; // FFmpeg reports it in its own words
        }
        for (InetAddress a : addresses) {
            String refused = refusedBecause(a);
            if (refused != null) {
                throw new MediaException(name + ": refused: the host resolves to " + refused);
            }
        }
    }

    static String refusedBecause(InetAddress a) {
        if (a.isLinkLocalAddress()) {
            return "a link-local address (cloud metadata lives there)";
        }
        String ip = a.getHostAddress();
        if (ip.equals("100.100.100.200") || ip.equalsIgnoreCase("fd00:ec2:0:0:0:0:0:254")) {
            return "a cloud metadata address";
        }
        if (API_SERVER != null) {
            try {
                for (InetAddress api : InetAddress.getAllByName(API_SERVER)) {
                    if (api.equals(a)) {
                        return "the Kubernetes API server's address";
                    }
                }
            } catch (UnknownHostException e) {
                // not an address we can compare with
            }
        }
        return null;
    }

    /** {@code options} with the whitelist of {@code url}'s scheme added (unless the caller gave one). */
    public static Map<String, String> withWhitelist(String url, Map<String, String> options) {
        if (options.containsKey("protocol_whitelist")) {
            return options;
        }
        Map<String, String> o = new java.util.LinkedHashMap<>(options);
        o.put("protocol_whitelist", UrlPolicy.protocols(url));
        return o;
    }
}
