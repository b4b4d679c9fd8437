package io.streammix.worker.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Calls a path the way the kubelet probes and Prometheus scrapes: a new connection per call (from 127.0.0.1),
 * {@code Connection: close}, a timeout for the whole call; counts the calls answered with 200 in time.
 */
public final class Probes {
    private Probes() {
    }

    /** Calls answered with 200 within their timeout, out of those sent. */
    public record Tally(int answered, int sent) {
        @Override
        public String toString() {
            return answered + "/" + sent;
        }
    }

    /**
     * @param paths    called in turn, {@code count} calls in all, one every {@code interval}
     * @param mustShow text every 200 must contain (the body's start is enough)
     */
    public static Tally run(int port, List<String> paths, String mustShow, int count, Duration interval, Duration timeout)
            throws InterruptedException {
        int answered = 0;
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            if (call(port, paths.get(i % paths.size()), mustShow, timeout)) {
                answered++;
            }
            long left = interval.toNanos() - (System.nanoTime() - start);
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
        }
        return new Tally(answered, count);
    }

    private static boolean call(int port, String path, String mustShow, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: worker\r\nUser-Agent: kube-probe/1.30\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                s.setSoTimeout((int) left);
                int n = in.read(buf);
                if (n > 0) {
                    got.write(buf, 0, n);
                }
                String text = got.toString(StandardCharsets.ISO_8859_1);
                if (text.startsWith("HTTP/1.1 200") && text.contains(mustShow)) {
                    return true;
                }
                if (n < 0 || got.size() > 1 << 20) {
                    return false;
                }
            }
        } catch (IOException e) {
            return false; // refused, reset or timed out
        }
    }
}
