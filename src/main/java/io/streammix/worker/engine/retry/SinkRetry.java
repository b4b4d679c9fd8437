package io.streammix.worker.engine.retry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * When a lost network output tries again (outputs and bypass outputs alike; the delays between refused attempts are
 * a {@link RetrySchedule}). A long backoff sleep would keep an output away for seconds after its
 * server is back; instead the server is watched cheaply and the muxer (TCP connect, RTMP handshake, publish) is
 * reopened only when that can succeed:
 * <ul>
 * <li>TCP destinations (RTMP, RTMPS): a non-blocking TCP connect to host:port every {@value #PROBE_MS} ms (it never
 * blocks the output's thread, and costs the server an accept and a close). When the port answers after having been
 * seen closed, the muxer is reopened at once: the server came back. When it answers all along but the reopen fails
 * (it refuses the stream: wrong key, an RTMP error) or the stream is dropped soon after, reopens wait a refusal delay
 * growing from {@value #MIN_REFUSAL_MS} ms to {@value #MAX_REFUSAL_MS} ms, so such a server is not hammered.</li>
 * <li>Destinations without a TCP port to watch (SRT is UDP): a reopen {@value #UDP_INTERVAL_MS} ms after the last
 * attempt, each attempt cut after {@value #SRT_OPEN_TIMEOUT_MS} ms.</li>
 * </ul>
 * Used by one thread, the output's; times are {@link System#nanoTime()}.
 */
public final class SinkRetry {
    public static final long PROBE_MS = 250;
    /** A probe connect still pending after this counts as "not answering" (a host that drops SYNs). */
    public static final long PROBE_TIMEOUT_MS = 1000;
    public static final long MIN_REFUSAL_MS = 500;
    public static final long MAX_REFUSAL_MS = 4000;
    public static final long UDP_INTERVAL_MS = 1500;
    /**
     * How long an SRT open may take: an SRT caller waits 3 s for a listener that is not there, blocking the output's
     * thread (and its other sinks) that long at every attempt; a handshake needs two round trips.
     */
    public static final long SRT_OPEN_TIMEOUT_MS = 1000;
    /** A connection lost sooner than this after it opened counts as a refusal (a server that drops the stream). */
    public static final long SHORT_LIVED_MS = 5000;
    private static final long MS = 1_000_000;

    /** Null when there is no TCP port to watch. */
    private final String host;
    private final int port;
    private SocketChannel probe;
    private long probeStarted;
    private long nextProbeAt;
    private long reopenNotBefore;
    /** Delays between reopens of a server that answers but refuses: {@value #MIN_REFUSAL_MS} ms doubling. */
    private final RetrySchedule refusals;
    /** The port was seen closed since the last reopen attempt: when it answers, reopen at once. */
    private boolean closedSeen;
    private long openedAt;
    /** Port probes started (each an attempt to reach the server again); read by a metrics scrape. */
    private volatile long probesStarted;

    private SinkRetry(String host, int port) {
        this.host = host;
        this.port = port;
        // Without a port to watch, every attempt waits the same fixed interval.
        this.refusals = host == null ? new RetrySchedule(UDP_INTERVAL_MS, UDP_INTERVAL_MS) : new RetrySchedule(MIN_REFUSAL_MS, MAX_REFUSAL_MS);
    }

    /** The retry of a destination URL (its host and port are watched; the URL itself is never kept). */
    public static SinkRetry of(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        int defaultPort = lower.startsWith("rtmps://") ? 443 : lower.startsWith("rtmp://") ? 1935 : -1;
        if (defaultPort < 0) {
            return new SinkRetry(null, -1);
        }
        String authority = url.substring(url.indexOf("://") + 3);
        int end = authority.length();
        for (char c : new char[]{'/', '?', '#'}) {
            int i = authority.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        authority = authority.substring(0, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host = authority;
        int port = defaultPort;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && colon > authority.lastIndexOf(']')) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                return new SinkRetry(null, -1);
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? new SinkRetry(null, -1) : new SinkRetry(host, port);
    }

    /** How long opening {@code url} may take: short for SRT (attempts are cut, see above), else {@code otherwise}. */
    public static long openTimeoutMillis(String url, long otherwise) {
        return url != null && url.toLowerCase(Locale.ROOT).startsWith("srt://") ? SRT_OPEN_TIMEOUT_MS : otherwise;
    }

        /** Port probes started so far (counted when they start, whatever their outcome). */
    public long probesStarted() {
        return probesStarted;
    }

    /** Whether the server's port is watched (TCP) rather than retried on a fixed interval. */
    public boolean probes() {
        return host != null;
    }

    /** The destination was opened. */
    public void opened(long now) {
        openedAt = now;
        closeProbe();
    }

    /** A reopen failed: the port was closed, or the server refused the stream. */
    public void openFailed(long now) {
        refused(now);
    }

    /** An open connection failed (a write error). */
    public void lost(long now) {
        if (now - openedAt < SHORT_LIVED_MS * MS) {
            refused(now); // it accepted, then dropped us: do not reconnect in a tight loop
        } else {
            refusals.reset();
            reopenNotBefore = now;
            closedSeen = false;
            nextProbeAt = now;
        }
    }

    private void refused(long now) {
        closedSeen = false;
        reopenNotBefore = now + refusals.failed() * MS;
        nextProbeAt = now + PROBE_MS * MS;
    }

    /** Whether to reopen now. Probes meanwhile, without ever blocking. */
    public boolean due(long now) {
        if (host == null) {
            return now - reopenNotBefore >= 0;
        }
        Boolean answers = poll(now);
        if (answers == null) {
            return false;
        }
        if (!answers) {
            closedSeen = true;
            refusals.reset(); // a server that was down gets a fresh start
            return false;
        }
        return closedSeen || now - reopenNotBefore >= 0;
    }

    /** How long until the next attempt (a probe or a reopen), as status shows it. */
    public String nextAttempt(long now) {
        long at = host == null || !closedSeen && reopenNotBefore - nextProbeAt > 0 ? reopenNotBefore : nextProbeAt;
        double s = Math.max(at - now, host == null ? 0 : PROBE_MS * MS) / 1e9;
        return String.format(Locale.ROOT, "next attempt in %.2f s", Math.ceil(s * 20) / 20);
    }

    /** True: the port answered; false: it is closed or silent; null: no answer yet (or not time to ask). */
    private Boolean poll(long now) {
        try {
            if (probe == null) {
                if (now - nextProbeAt < 0) {
                    return null;
                }
                probesStarted++; // one writer: the output's thread
                probe = SocketChannel.open();
                probe.configureBlocking(false);
                probeStarted = now;
                // Resolving may block: IP literals and cached names (the JVM caches lookups) do not.
                InetSocketAddress address = new InetSocketAddress(host, port);
                if (address.isUnresolved()) {
                    return done(now, false);
                }
                return probe.connect(address) ? done(now, true) : null;
            }
            if (probe.finishConnect()) {
                return done(now, true);
            }
            return now - probeStarted > PROBE_TIMEOUT_MS * MS ? done(now, false) : null;
        } catch (IOException | RuntimeException e) {
            return done(now, false); // refused, unreachable
        }
    }

    private Boolean done(long now, boolean answered) {
        closeProbe();
        nextProbeAt = now + PROBE_MS * MS;
        return answered;
    }

    /** Releases the probe socket (the sink is closing or reopened). */
    public void close() {
        closeProbe();
    }

    private void closeProbe() {
        if (probe != null) {
            try {
                probe.close();
            } catch (IOException e) {
                // nothing to do: it was a probe
            }
            probe = null;
        }
    }
}
