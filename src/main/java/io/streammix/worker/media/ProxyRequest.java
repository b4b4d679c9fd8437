package io.streammix.worker.media;

import java.util.Locale;

/**
 * The head of a request FFmpeg sends to the {@link FenceProxy}: {@code CONNECT host:port} (HTTPS, a tunnel) or
 * {@code METHOD http://host:port/path} (plain HTTP). FFmpeg writes the host it will otherwise connect to itself, as
 * its URL splitter read it, so the proxy checks exactly that host. Anything else (an origin-form request, another
 * scheme, a missing port for CONNECT) is not a request FFmpeg makes through a proxy, and is refused.
 *
 * @param originHead for plain HTTP, the head to send to the server: the request line in origin form
 *                   ({@code GET /path HTTP/1.1}) and the headers without {@code Proxy-*}
 */
record ProxyRequest(boolean tunnel, String host, int port, String originHead) {
    /** Null when {@code head} is not a proxy request. */
    static ProxyRequest parse(String head) {
        int eol = head.indexOf("\r\n");
        if (eol < 0) {
            return null;
        }
        String requestLine = head.substring(0, eol);
        int first = requestLine.indexOf(' ');
        int last = requestLine.lastIndexOf(' ');
        if (first <= 0 || last <= first + 1) {
            return null;
        }
        // method, target, version: the target is all between (FFmpeg sends a URL's path as it was given)
        String[] line = {requestLine.substring(0, first), requestLine.substring(first + 1, last), requestLine.substring(last + 1)};
        if (!line[2].startsWith("HTTP/1.")) {
            return null;
        }
        if (line[0].equals("CONNECT")) {
            return authority(line[1], -1, true, null);
        }
        String target = line[1];
        if (!target.regionMatches(true, 0, "http://", 0, 7)) {
            return null;
        }
        int pathAt = indexOfAny(target, 7, "/?#");
        String path = pathAt < 0 ? "/" : target.substring(pathAt);
        if (path.startsWith("?")) {
            path = "/" + path;
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0) {
            path = path.substring(0, fragment);
        }
        StringBuilder origin = new StringBuilder(line[0]).append(' ').append(path).append(' ').append(line[2]).append("\r\n");
        for (String header : head.substring(eol + 2).split("\r\n")) {
            if (!header.isEmpty() && !header.toLowerCase(Locale.ROOT).startsWith("proxy-")) {
                origin.append(header).append("\r\n");
            }
        }
        origin.append("\r\n");
        return authority(target.substring(7, pathAt < 0 ? target.length() : pathAt), 80, false, origin.toString());
    }

    private static ProxyRequest authority(String authority, int defaultPort, boolean tunnel, String originHead) {
        if (authority.contains("@") || authority.isEmpty()) {
            return null;
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            port = rest.isEmpty() ? null : rest.startsWith(":") ? rest.substring(1) : "x";
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        int p;
        if (port == null) {
            p = defaultPort;
        } else {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (host.isEmpty() || p < 1 || p > 65535) {
            return null;
        }
        return new ProxyRequest(tunnel, host, p, originHead);
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
