package io.streammix.worker.media;

import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on the worker's loopback that FFmpeg must use for HTTP(S) (its {@code http_proxy}, set by
 * {@link OpenGuard#withWhitelist}), so that every connection FFmpeg makes over HTTP is checked where it is made
 * (issue 21, finding 1): FFmpeg's HTTP client follows redirects by itself (FFmpeg 8.0.1 has no option to stop it)
 * and its HLS demuxer opens variants, segments and keys through {@code io_open}, none of which the worker would see.
 * Through the proxy, each request (plain HTTP: {@code GET http://host:port/path}) or tunnel (HTTPS:
 * {@code CONNECT host:port}, FFmpeg's TLS then runs end to end through it) names its host; the proxy resolves it,
 * asks the {@link EgressFence}, and connects to the address it checked, so a name cannot answer differently in
 * between. A refused hop is answered {@code 403} before any connection is tried: nothing tells whether something
 * listens at a refused address.
 *
 * <p>Threads: one daemon thread accepts; each proxied connection takes two daemon threads of a cached pool (one per
 * direction) for its life, at most {@value #MAX_CONNECTIONS} connections at once.
 */
public final class FenceProxy {
    private static final Logger LOG = Logger.getLogger(FenceProxy.class);
    static final int MAX_CONNECTIONS = 256;
    private static final int MAX_HEAD = 32 * 1024;
    private static final int HEAD_TIMEOUT_MS = 10_000;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static volatile FenceProxy instance;

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "egress-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final AtomicLong refused = new AtomicLong();

    private FenceProxy() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        Thread accept = new Thread(this::acceptLoop, "egress-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** The proxy of this process, started on first use. */
    static FenceProxy get() {
        FenceProxy p = instance;
        if (p == null) {
            synchronized (FenceProxy.class) {
                if (instance == null) {
                    try {
                        instance = new FenceProxy();
                    } catch (IOException e) {
                        throw new MediaException("cannot start the egress proxy on loopback: " + e.getMessage());
                    }
                }
                p = instance;
            }
        }
        return p;
    }

    /** FFmpeg's {@code http_proxy} value. */
    public static String url() {
        return "http://127.0.0.1:" + get().server.getLocalPort() + "/";
    }

    /** How many hops the proxy refused since it started (tells a 403 of ours from a server's). */
    public static long refusals() {
        return get().refused.get();
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                LOG.warnf("egress proxy: accept failed: %s", e.getMessage());
                continue;
            }
            if (!slots.tryAcquire()) {
                closeQuietly(client);
                continue;
            }
            pool.execute(() -> {
                try {
                    serve(client);
                } finally {
                    slots.release();
                }
            });
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try (client) {
            client.setSoTimeout(HEAD_TIMEOUT_MS);
            InputStream in = new java.io.BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            byte[] head = readHead(in);
            ProxyRequest req = head == null ? null : ProxyRequest.parse(new String(head, StandardCharsets.ISO_8859_1));
            if (req == null) {
                answer(out, "400 Bad Request");
                return;
            }
            InetAddress[] addresses;
            try {
                addresses = EgressFence.current().resolve(req.host());
            } catch (EgressFence.Refused | IllegalArgumentException e) { // IllegalArgumentException: unparsable CIDRs refuse all
                refused.incrementAndGet();
                answer(out, "403 Forbidden");
                return;
            } catch (UnknownHostException e) {
                answer(out, "502 Bad Gateway");
                return;
            }
            upstream = connect(addresses, req.port());
            if (upstream == null) {
                answer(out, "502 Bad Gateway");
                return;
            }
            client.setSoTimeout(0); // FFmpeg's interrupt callback bounds its own reads; it closes, and so do we.
            if (req.tunnel()) {
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } else {
                upstream.getOutputStream().write(req.originHead().getBytes(StandardCharsets.ISO_8859_1));
            }
            pipe(client, in, upstream);
        } catch (IOException e) {
            // the client or the server went away: nothing to report
        } finally {
            if (upstream != null) {
                closeQuietly(upstream);
            }
        }
    }

    private static Socket connect(InetAddress[] addresses, int port) {
        for (InetAddress a : addresses) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(a, port), CONNECT_TIMEOUT_MS);
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
            }
        }
        return null;
    }

    /** Copies server to client on this thread and client to server on another; returns when both are done. */
    private void pipe(Socket client, InputStream fromClient, Socket upstream) throws IOException {
        var up = pool.submit(() -> copy(fromClient, client, upstream));
        copy(upstream.getInputStream(), upstream, client);
        try {
            up.get();
        } catch (Exception e) {
            // already closed
        }
    }

    private static Void copy(InputStream in, Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try {
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side failed: close both, which ends the other direction too
            closeQuietly(from);
            closeQuietly(to);
        }
        return null;
    }

    /** The bytes up to and including the blank line that ends the request head; null when there is none. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static void answer(OutputStream out, String status) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }
}
