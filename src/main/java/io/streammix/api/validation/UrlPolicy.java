package io.streammix.api.validation;

import io.streammix.api.v1alpha1.SpecRules;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one URL policy for inputs, outputs and images (issue 13), in Java: the twin of the CEL rules in {@link SpecRules}
 * (same regular expressions), used by {@link SpecValidator} at admission's second door, by the operator on values read
 * from Secrets ({@code urlFrom}), and by the worker before it opens anything. Messages name the rule, never the URL.
 *
 * <ul>
 *   <li>schemes: inputs rtmp(s), http(s), srt, rtsp, file, synthetic; outputs rtmp(s), srt, file; images http(s), file;</li>
 *   <li>a path without a scheme has no ':' (FFmpeg would read {@code subfile,,start,0,end,0,,:/etc/x} or
 *   {@code concat:a|b} as protocols);</li>
 *   <li>no ".." segment; no link-local, metadata or API-server host, nor numeric host forms that resolve to them;</li>
 *   <li>absolute file paths only under the task's volumes ({@link #absoluteFileUnder});</li>
 *   <li>FFmpeg opens every URL with a {@code protocol_whitelist} of its scheme's protocols ({@link #protocols}), so
 *   nothing it opens on the way (an HLS playlist's segments, a redirect) can be a file or a pseudo-protocol.</li>
 * </ul>
 */
public final class UrlPolicy {
    /** What a URL is for, and the schemes that use allows. */
    public enum Use {
        INPUT(SpecRules.RE_INPUT_SCHEMES, "rtmp, rtmps, http, https, srt, rtsp, file or synthetic"),
        OUTPUT(SpecRules.RE_OUTPUT_SCHEMES, "rtmp, rtmps, srt or file"),
        IMAGE(SpecRules.RE_IMAGE_SCHEMES, "http, https or file");

        private final Pattern schemes;
        private final String names;

        Use(String regex, String names) {
            this.schemes = Pattern.compile(regex);
            this.names = names;
        }
    }

    /**
     * The schemes of {@link Use#INPUT} and {@link Use#OUTPUT} as names, for messages and for the start-mix converter and
     * the local run, which check a scheme before a URL is built; the patterns above are the rule.
     */
    public static final java.util.Set<String> INPUT_SCHEMES =
            java.util.Set.of("rtmp", "rtmps", "http", "https", "srt", "rtsp", "file", "synthetic");
    public static final java.util.Set<String> OUTPUT_SCHEMES = java.util.Set.of("rtmp", "rtmps", "srt", "file");

    private static final Pattern SCHEME = Pattern.compile(SpecRules.RE_SCHEME);
    private static final Pattern DOT_DOT = Pattern.compile(SpecRules.RE_DOT_DOT);
    private static final Pattern FORBIDDEN_HOST = Pattern.compile(SpecRules.RE_FORBIDDEN_HOST);
    private static final Pattern FILE_SCHEME = Pattern.compile("^(?i:file):");
    private static final Pattern NO_AUTHORITY = Pattern.compile(SpecRules.RE_NO_AUTHORITY);
    /** The host as FFmpeg's URL splitter reads it: after "scheme://" and the last '@' before the path, query or fragment. */
    private static final Pattern HOST = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*@)?(\\[([^\\]]*)\\]|[^:/?#]*)");

    private UrlPolicy() {
    }

    /** Why {@code url} may not be used so (the admission rules, volumes aside), or null when it may. Never quotes the URL. */
    public static String refusal(String url, Use use) {
        if (url == null) {
            return null;
        }
        if (SCHEME.matcher(url).find()) {
            if (!use.schemes.matcher(url).find()) {
                return "the scheme must be " + use.names + " (FFmpeg pseudo-protocols such as concat:, subfile:, data: are refused)";
            }
        } else if (url.contains(":")) {
            return "a path without a scheme must not contain ':' (FFmpeg would read a protocol such as subfile,...: in it)";
        }
        if (DOT_DOT.matcher(url).find()) {
            return "no '..' path segments";
        }
        String path = LocalPath.refusal(url);
        if (path != null) {
            return path;
        }
        if (NO_AUTHORITY.matcher(url).find()) {
            return "a network URL must be scheme://host... (FFmpeg connects to the host in http:HOST/, Java sees none)";
        }
        if (NumericHost.ambiguous(host(url))) {
            return "numeric hosts only in dotted decimal a.b.c.d (the C resolver reads hex, octal and short forms such as "
                    + "0x7f.1, 0177.0.0.1, 127.1 or 127.0.0.0x5 as addresses)";
        }
        if (FORBIDDEN_HOST.matcher(url).find()) {
            return "no link-local, cloud-metadata or Kubernetes API server host (169.254.0.0/16, fe80::/10, metadata, "
                    + "kubernetes.default...), nor numeric host forms other than dotted decimal";
        }
        return null;
    }

    /** The host of a network URL as FFmpeg reads it (brackets and zone removed), or null for a file or no host. */
    public static String host(String url) {
        if (url == null) {
            return null;
        }
        var m = HOST.matcher(url);
        if (!m.find()) {
            return null;
        }
        String host = m.group(3) != null ? m.group(3) : m.group(2);
        int zone = host.indexOf('%');
        return zone >= 0 ? host.substring(0, zone) : host;
    }

    /** The lower-case scheme of a URL; a plain path counts as file. */
    public static String scheme(String url) {
        var m = SCHEME.matcher(url);
        return m.find() ? url.substring(0, m.end() - 1).toLowerCase(Locale.ROOT) : "file";
    }

    /** True for a plain path or a file: URL. */
    public static boolean isFile(String url) {
        return url != null && (!SCHEME.matcher(url).find() || FILE_SCHEME.matcher(url).find());
    }

    /**
     * The CEL rule's reading: an absolute file path (plain, or file:// / FILE:// URL) must start with one of the mount
     * paths and a slash; relative paths and other schemes pass.
     */
    public static boolean absoluteFileUnder(String url, List<String> mountPaths) {
        if (url == null || !(url.startsWith("/") || FILE_SCHEME.matcher(url).find())) {
            return true;
        }
        for (String m : mountPaths) {
            if (url.startsWith(m + "/") || url.startsWith("file://" + m + "/") || url.startsWith("FILE://" + m + "/")) {
                return true;
            }
        }
        return false;
    }

    /** The local path a file URL names: file:///a and file:/a are /a; a plain path as it is. Null for other schemes. */
    public static String filePath(String url) {
        if (!isFile(url)) {
            return null;
        }
        if (!FILE_SCHEME.matcher(url).find()) {
            return url;
        }
        String rest = url.substring(5);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
            int slash = rest.indexOf('/');
            rest = slash < 0 ? "/" : rest.substring(slash); // file://host/path: the host is ignored, as FFmpeg does not use it
        }
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    /**
     * The FFmpeg {@code protocol_whitelist} for opening {@code url}: its own protocol and what that protocol opens
     * beneath (tcp, tls, udp), never file unless the URL is a file, never a pseudo-protocol (concat, subfile, data,
     * crypto+file...). HTTP allows crypto for AES-128 HLS segments, whose keys and segments are then http(s) too.
     */
    public static String protocols(String url) {
        return switch (scheme(url)) {
            case "rtmp" -> "rtmp,tcp";
            case "rtmps" -> "rtmps,rtmp,tcp,tls";
            case "http", "https" -> "http,https,tcp,tls,crypto,httpproxy"; // httpproxy: https through the FenceProxy (CONNECT)
            case "srt" -> "srt";
            case "rtsp" -> "rtsp,rtp,tcp,udp,tls";
            default -> "file";
        };
    }
}
