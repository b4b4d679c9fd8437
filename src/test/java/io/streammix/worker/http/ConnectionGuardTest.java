package io.streammix.worker.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a full cap makes room (issue 21, finding 4): the connection that has waited longest for a request goes first;
 * connections busy with a request are never closed for room, and only when all are busy is a new one refused.
 */
class ConnectionGuardTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService pool = WorkerHttp.boundedPool("guard-test", 4, 0);
    private final List<Socket> sockets = new ArrayList<>();
    private WorkerHttp http;

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        for (Socket s : sockets) {
            s.close();
        }
        if (http != null) {
            http.close();
        }
        pool.shutdownNow();
    }

    private void start() throws IOException {
        Duration long_ = Duration.ofSeconds(10);
        http = new WorkerHttp("guard test", "127.0.0.1", 0, new HttpLimits(3, 10, long_, long_, long_, 8192), req -> {
            if (req.path().equals("/slow")) {
                pool.execute(() -> {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    req.response().end("done\n");
                });
            } else {
                req.response().end("ok\n");
            }
        });
    }

    private Socket connect(String send) throws IOException, InterruptedException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress("127.0.0.2", 0));
        s.connect(new InetSocketAddress("127.0.0.1", http.port()), 2000);
        s.getOutputStream().write(send.getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(100); // the server sees them in this order
        return s;
    }

    /** What the server sent before closing within {@code waitMillis}, or null while it stays open. */
    private static String closedWith(Socket s, int waitMillis) throws IOException {
        s.setSoTimeout(waitMillis);
        StringBuilder got = new StringBuilder();
        InputStream in = s.getInputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                got.append((char) b);
            }
            return got.toString();
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return got.toString(); // reset
        }
    }

    @Test
    void aFullCapClosesTheConnectionThatWaitedLongest() throws Exception {
        start();
        Socket first = connect("");
        Socket second = connect("GET /x HTTP/1.1\r\nHost: w\r\n"); // half its headers
        Socket third = connect("");
        Socket fourth = connect("GET /x HTTP/1.1\r\nHost: w\r\nConnection: close\r\n\r\n");
        assertThat(closedWith(first, 1000)).as("the longest waiting: closed").isEmpty();
        assertThat(closedWith(fourth, 1000)).as("the newcomer: answered").startsWith("HTTP/1.1 200").endsWith("ok\n");
        assertThat(closedWith(second, 300)).as("still open").isNull();
        assertThat(closedWith(third, 300)).as("still open").isNull();
        assertThat(http.guard().evicted()).isEqualTo(1);
        assertThat(http.guard().refused()).isZero();
    }

    @Test
    void connectionsBusyWithARequestAreNeverClosedForRoom() throws Exception {
        start();
        String slow = "GET /slow HTTP/1.1\r\nHost: w\r\n\r\n";
        List<Socket> busy = List.of(connect(slow), connect(slow), connect(slow));
        Socket refused = connect("GET /x HTTP/1.1\r\nHost: w\r\n\r\n");
        assertThat(closedWith(refused, 1000)).as("every slot busy: refused").isEmpty();
        assertThat(http.guard().refused()).isEqualTo(1);
        assertThat(http.guard().evicted()).isZero();
        release.countDown();
        for (Socket s : busy) {
            s.setSoTimeout(3000);
            byte[] buf = new byte[256];
            int n = s.getInputStream().read(buf);
            assertThat(new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").endsWith("done\n");
        }
    }
}
