package io.streammix.worker.media;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The egress proxy spoken to as FFmpeg speaks to it: a CONNECT tunnel (how FFmpeg's TLS goes through it) carries bytes
 * both ways to an allowed address; a tunnel or a request to an address outside the fence is answered 403 without a
 * connection being tried; what FFmpeg never sends (an origin-form request) is 400.
 */
class FenceProxyTest {
    @Test
    void tunnelsToAllowedAddressesOnlyAndNeverConnectsToTheOthers() throws Exception {
        AtomicInteger accepts = new AtomicInteger();
        try (AutoCloseable fence = EgressFence.replace(EgressFence.allowing("127.0.0.2/32"));
             ServerSocket allowed = echo(InetAddress.getByName("127.0.0.2"), accepts);
             ServerSocket forbidden = echo(InetAddress.getByName("127.0.0.3"), accepts)) {
            try (Socket s = proxy()) {
                send(s, "CONNECT 127.0.0.2:" + allowed.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(line(s.getInputStream())).isEqualTo("HTTP/1.1 200 Connection established");
                line(s.getInputStream());
                send(s, "ping\n");
                assertThat(line(s.getInputStream())).isEqualTo("ping");
            }
            for (String head : new String[] {"CONNECT 127.0.0.3:" + forbidden.getLocalPort() + " HTTP/1.1\r\n\r\n",
                    "GET http://127.0.0.3:" + forbidden.getLocalPort() + "/ HTTP/1.1\r\nHost: x\r\n\r\n",
                    "GET http://0x7f.0.0.3:" + forbidden.getLocalPort() + "/ HTTP/1.1\r\n\r\n"}) {
                try (Socket s = proxy()) {
                    send(s, head);
                    assertThat(line(s.getInputStream())).as(head).isEqualTo("HTTP/1.1 403 Forbidden");
                }
            }
            try (Socket s = proxy()) {
                send(s, "GET /admin HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n");
                assertThat(line(s.getInputStream())).isEqualTo("HTTP/1.1 400 Bad Request");
            }
            assertThat(accepts).as("only the allowed tunnel connected").hasValue(1);
        }
    }

    @Test
    void plainRequestsReachTheServerInOriginFormWithoutProxyHeaders() {
        ProxyRequest r = ProxyRequest.parse("GET http://[::1]:8080/a/b.m3u8?x=1 HTTP/1.1\r\nHost: [::1]:8080\r\n"
                + "Proxy-Authorization: Basic eA==\r\nUser-Agent: Lavf\r\n\r\n");
        assertThat(r.host()).isEqualTo("[::1]");
        assertThat(r.port()).isEqualTo(8080);
        assertThat(r.originHead()).isEqualTo("GET /a/b.m3u8?x=1 HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: Lavf\r\n\r\n");
        assertThat(ProxyRequest.parse("GET http://user@h/ HTTP/1.1\r\n\r\n")).isNull();
        assertThat(ProxyRequest.parse("CONNECT h HTTP/1.1\r\n\r\n")).isNull();
    }

    private static Socket proxy() throws IOException {
        URI u = URI.create(FenceProxy.url());
        Socket s = new Socket(u.getHost(), u.getPort());
        s.setSoTimeout(5000);
        return s;
    }

    private static ServerSocket echo(InetAddress address, AtomicInteger accepts) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, address);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept()) {
                    accepts.incrementAndGet();
                    c.getInputStream().transferTo(c.getOutputStream());
                } catch (IOException e) {
                    // closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
