package io.streammix.worker.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An attacker that keeps {@code n} connections open to a port from several loopback addresses (127.0.0.2, 127.0.0.3, …,
 * so that a per-address cap does not stop it): each sends {@code prefix} and then one byte of {@code trickle} now and
 * then (or nothing), and a connection the server closes is opened again at once, as a real attacker would.
 */
public final class Siege implements AutoCloseable {
    /** Connects and sends nothing. */
    public static final String IDLE = "";
    /** A request whose headers never end. */
    public static final String SLOW_HEADERS = "GET /healthz/live HTTP/1.1\r\nHost: worker\r\nX-Slow: ";

    /** A PUT without a token whose body (1 GB announced) never ends. */
    public static String endlessPut(String path) {
        return "PUT " + path + " HTTP/1.1\r\nHost: worker\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{\"a\":\"";
    }

    private final int port;
    private final byte[] prefix;
    private final byte[] trickle;
    private final SocketChannel[] conns;
    private final String[] sources;
    private final Thread thread;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong opened = new AtomicLong();
    private volatile boolean running = true;

    private Siege(int port, int n, int addresses, String prefix, String trickle) {
        this.port = port;
        this.prefix = prefix.getBytes(StandardCharsets.US_ASCII);
        this.trickle = trickle == null ? null : trickle.getBytes(StandardCharsets.US_ASCII);
        this.conns = new SocketChannel[n];
        this.sources = new String[n];
        for (int i = 0; i < n; i++) {
            sources[i] = "127.0.0." + (2 + i % addresses);
        }
        thread = new Thread(this::run, "siege");
        thread.setDaemon(true);
    }

    /**
     * Starts the attack and returns once every connection was opened once.
     *
     * @param trickle sent every 200 ms on each connection (null: nothing after the prefix)
     */
    public static Siege start(int port, int n, int addresses, String prefix, String trickle) throws InterruptedException {
        Siege s = new Siege(port, n, addresses, prefix, trickle);
        s.thread.start();
        long until = System.nanoTime() + 5_000_000_000L;
        while (s.opened.get() < n && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        Thread.sleep(200); // let the server see them all
        return s;
    }

    private void run() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long nextTrickle = System.nanoTime();
        while (running) {
            boolean trickleNow = trickle != null && System.nanoTime() >= nextTrickle;
            if (trickleNow) {
                nextTrickle = System.nanoTime() + 200_000_000L;
            }
            int alive = 0;
            for (int i = 0; i < conns.length && running; i++) {
                SocketChannel c = conns[i];
                try {
                    if (c == null) {
                        c = SocketChannel.open();
                        conns[i] = c;
                        c.bind(new InetSocketAddress(sources[i], 0));
                        c.connect(new InetSocketAddress("127.0.0.1", port));
                        c.configureBlocking(false);
                        opened.incrementAndGet();
                        if (prefix.length > 0) {
                            c.write(ByteBuffer.wrap(prefix));
                        }
                    }
                    sink.clear();
                    if (c.read(sink) < 0) {
                        throw new IOException("closed by the server");
                    }
                    if (trickleNow) {
                        c.write(ByteBuffer.wrap(trickle));
                    }
                    alive++;
                } catch (IOException e) {
                    closeQuietly(c);
                    conns[i] = null;
                }
            }
            open.set(alive);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Connections opened so far (reopened ones included). */
    public long opened() {
        return opened.get();
    }

    /** Connections open at the last round. */
    public int open() {
        return open.get();
    }

    private static void closeQuietly(SocketChannel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // gone anyway
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
        for (SocketChannel c : conns) {
            closeQuietly(c);
        }
    }
}
