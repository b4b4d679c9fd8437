package io.streammix.worker.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Attackers for the worker's HTTP servers: connections from another loopback address (127.0.0.2, so that the per-client
 * cap does not also count the test's own probes) that send half a request and then nothing.
 */
public final class SlowClients implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    /** Opens {@code n} connections to {@code port} from 127.0.0.2 and sends {@code prefix} on each (then nothing). */
    public static SlowClients open(int port, int n, String prefix) throws IOException {
        SlowClients c = new SlowClients();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            c.sockets.add(s);
            s.bind(new InetSocketAddress("127.0.0.2", 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            OutputStream out = s.getOutputStream();
            out.write(prefix.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        return c;
    }

    /** A request whose headers never end. */
    public static final String HALF_HEADERS = "GET /status HTTP/1.1\r\nHost: worker\r\nX-Slow: ";

    /** An authorized PUT whose body never comes. */
    public static String halfBody(String path, String token) {
        return "PUT " + path + " HTTP/1.1\r\nHost: worker\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"gen";
    }

    public List<Socket> sockets() {
        return sockets;
    }

    /** How many of the connections the server has closed (reads end of stream within {@code waitMillis} each). */
    public int closedByServer(int waitMillis) throws IOException {
        int closed = 0;
        for (Socket s : sockets) {
            s.setSoTimeout(waitMillis);
            try {
                InputStream in = s.getInputStream();
                while (true) {
                    int b = in.read();
                    if (b < 0) {
                        closed++;
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                closed++; // reset
            }
        }
        return closed;
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
