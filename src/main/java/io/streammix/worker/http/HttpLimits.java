package io.streammix.worker.http;

import java.time.Duration;

/**
 * What clients may hold of a worker HTTP server ({@link ConnectionGuard} enforces it).
 *
 * @param maxConnections open connections in all; past it a new connection takes the slot of the connection that has
 *                       waited longest for a request (which is closed), or is closed at once when every slot is busy
 *                       with a request
 * @param maxPerClient   open connections from one address (a single attacker cannot take them all)
 * @param headerTimeout  from connect to the end of the request headers
 * @param requestTimeout from the end of the headers to the end of the response (body read, handler run); streamed
 *                       responses (HTTP-FLV) leave this deadline once they start streaming
 * @param idleTimeout    a kept-alive connection between two requests (includes the next request's headers)
 * @param maxHeaderBytes request line plus headers
 */
public record HttpLimits(int maxConnections, int maxPerClient, Duration headerTimeout, Duration requestTimeout,
                         Duration idleTimeout, int maxHeaderBytes) {

    /** The control API: the operator is its one client (one or two connections), kubelet probes come and go. */
    public static final HttpLimits CONTROL = new HttpLimits(32, 8, Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofSeconds(60), 8 * 1024);
    /** The media port: players, up to 100 HTTP-FLV clients at once plus HLS pollers. */
    public static final HttpLimits MEDIA = new HttpLimits(256, 32, Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofSeconds(30), 8 * 1024);

    /** The metrics port: one or two Prometheus servers, scraping once every 10 s or more; a scrape is answered whole. */
    public static final HttpLimits METRICS = new HttpLimits(16, 4, Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(120), 8 * 1024);

    public HttpLimits withTimeouts(Duration header, Duration request, Duration idle) {
        return new HttpLimits(maxConnections, maxPerClient, header, request, idle, maxHeaderBytes);
    }

    public HttpLimits withConnections(int max, int perClient) {
        return new HttpLimits(max, perClient, headerTimeout, requestTimeout, idleTimeout, maxHeaderBytes);
    }
}
