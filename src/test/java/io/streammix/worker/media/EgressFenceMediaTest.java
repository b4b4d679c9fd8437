package io.streammix.worker.media;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.streammix.worker.EngineRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 21, finding 1, attacked on loopback: the fence allows 127.0.0.2 (the "media server", an HTTP server here) and
 * not 127.0.0.3 (the "internal service", a listener that counts the connections it accepts). The first URL is
 * allowed; what FFmpeg opens after it (a redirect, an HLS variant or segment) points at the internal service. Before,
 * OpenGuard checked the first URL only and FFmpeg connected to the internal service by itself: each test below saw
 * accepts there.
 */
class EgressFenceMediaTest {
    private static final String ALLOWED = "127.0.0.2";
    private HttpServer media;
    private ServerSocket internal;
    private final AtomicInteger internalAccepts = new AtomicInteger();
    private final AtomicInteger mediaRequests = new AtomicInteger();
    private AutoCloseable fence;

    @BeforeEach
    void listen() throws Exception {
        EngineRun.prepare();
        fence = EgressFence.replace(EgressFence.allowing(ALLOWED + "/32"));
        internal = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.3"));
        Thread t = new Thread(() -> {
            while (!internal.isClosed()) {
                try (Socket s = internal.accept()) {
                    internalAccepts.incrementAndGet();
                    s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed
                }
            }
        }, "internal-service");
        t.setDaemon(true);
        t.start();
        media = HttpServer.create(new InetSocketAddress(ALLOWED, 0), 0);
        media.start();
    }

    @AfterEach
    void close() throws Exception {
        media.stop(0);
        internal.close();
        fence.close();
    }

    private String mediaUrl(String path) {
        return "http://" + ALLOWED + ":" + media.getAddress().getPort() + path;
    }

    private String internalUrl(String scheme, String path) {
        return scheme + "://127.0.0.3:" + internal.getLocalPort() + path;
    }

    private void serve(String path, int status, String location, String type, byte[] body) {
        media.createContext(path, x -> {
            mediaRequests.incrementAndGet();
            if (location != null) {
                x.getResponseHeaders().add("Location", location);
            }
            x.getResponseHeaders().add("Content-Type", type);
            x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            x.getResponseBody().write(body);
            x.close();
        });
    }

    @Test
    void aRedirectToAnAddressOutsideTheFenceIsNotFollowed() {
        serve("/bg.png", 302, internalUrl("http", "/latest/meta-data/"), "text/plain", new byte[0]);
        serve("/bg-tls.png", 302, internalUrl("https", "/admin"), "text/plain", new byte[0]);
        for (String path : new String[] {"/bg.png", "/bg-tls.png"}) {
            try (Interrupter i = new Interrupter()) {
                assertThatThrownBy(() -> Demuxer.open(mediaUrl(path), null, Map.of(), i, 3000, 3000,
                        "spec.background.image", false).close()).as(path)
                        .isInstanceOf(MediaException.class)
                        .hasMessageStartingWith("spec.background.image: cannot open: refused: not allowed")
                        .hasMessageNotContaining("127.0.0.3");
            }
        }
        assertThat(mediaRequests).as("the allowed server was asked").hasValue(2);
        assertThat(internalAccepts).as("connections the internal service accepted").hasValue(0);
    }

    @Test
    void aRedirectWithinTheFenceIsFollowedThroughTheProxy() throws Exception {
        serve("/a.png", 302, mediaUrl("/b.png"), "text/plain", new byte[0]);
        serve("/b.png", 200, null, "image/png", png());
        try (Interrupter i = new Interrupter();
             Demuxer d = Demuxer.open(mediaUrl("/a.png"), null, Map.of(), i, 3000, 3000, "in", false)) {
            assertThat(d.formatName()).contains("png");
        }
        assertThat(mediaRequests).hasValue(2);
    }

    /** HTTPS reaches FFmpeg's TLS through the proxy as a CONNECT tunnel, end to end (a self-signed server here). */
    @Test
    void httpsToAnAllowedServerWorksThroughTheTunnel() throws Exception {
        char[] pass = "changeit".toCharArray();
        Path keys = Files.createTempDirectory("tls").resolve("ks.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "t", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + ALLOWED, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keys.toString(), "-storepass", "changeit", "-keypass", "changeit",
                "-ext", "san=ip:" + ALLOWED).redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keys)) {
            ks.load(in, pass);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer secure = HttpsServer.create(new InetSocketAddress(ALLOWED, 0), 0);
        secure.setHttpsConfigurator(new HttpsConfigurator(tls));
        AtomicInteger served = new AtomicInteger();
        byte[] png = png();
        secure.createContext("/b.png", x -> {
            served.incrementAndGet();
            x.getResponseHeaders().add("Content-Type", "image/png");
            x.sendResponseHeaders(200, png.length);
            x.getResponseBody().write(png);
            x.close();
        });
        secure.start();
        try (Interrupter i = new Interrupter();
             Demuxer d = Demuxer.open("https://" + ALLOWED + ":" + secure.getAddress().getPort() + "/b.png", null, Map.of(), i,
                     5000, 5000, "in", false)) {
            assertThat(d.formatName()).contains("png");
        } finally {
            secure.stop(0);
        }
        assertThat(served).hasValue(1);
    }

    @Test
    void hlsVariantsAndSegmentsOutsideTheFenceAreNotOpened() {
        String playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
                + "#EXTINF:2.0,\n" + internalUrl("http", "/seg0.ts") + "\n"
                + "#EXTINF:2.0,\n" + internalUrl("http", "/seg1.ts") + "\n#EXT-X-ENDLIST\n";
        String master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n" + internalUrl("http", "/variant.m3u8") + "\n";
        serve("/live.m3u8", 200, null, "application/vnd.apple.mpegurl", playlist.getBytes(StandardCharsets.US_ASCII));
        serve("/master.m3u8", 200, null, "application/vnd.apple.mpegurl", master.getBytes(StandardCharsets.US_ASCII));
        for (String path : new String[] {"/live.m3u8", "/master.m3u8"}) {
            try (Interrupter i = new Interrupter()) {
                try {
                    Demuxer.open(mediaUrl(path), null, Map.of(), i, 3000, 3000, "spec.inputs[0]").close();
                } catch (MediaException e) {
                    assertThat(e.getMessage()).as(path).startsWith("spec.inputs[0]: ").doesNotContain("127.0.0.3");
                }
            }
        }
        assertThat(mediaRequests).as("the playlists were read").hasValueGreaterThanOrEqualTo(2);
        assertThat(internalAccepts).as("connections the internal service accepted").hasValue(0);
    }

    @Test
    void theFirstUrlIsCheckedBeforeConnecting() {
        for (String url : new String[] {internalUrl("http", "/x.png"), internalUrl("rtmp", "/live/x"),
                "http://10.0.0.1/x.png", "http://[::1]/x.png"}) {
            try (Interrupter i = new Interrupter()) {
                assertThatThrownBy(() -> Demuxer.open(url, null, Map.of(), i, 3000, 3000, "spec.inputs[0]", false).close())
                        .as(url).isInstanceOf(MediaException.class)
                        .hasMessageStartingWith("spec.inputs[0]: refused: not allowed: the host resolves to a");
            }
        }
        assertThat(internalAccepts).hasValue(0);
    }

    private static byte[] png() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }
}
