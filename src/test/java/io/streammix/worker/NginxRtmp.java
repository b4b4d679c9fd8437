package io.streammix.worker;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private nginx with its RTMP module, as a real RTMP server that tests can stop and start: its own config in a
 * temporary directory (pid, logs, temp files and recordings there too), free ports, {@code daemon off} so it is this
 * JVM's child, and one process ({@code master_process off}: no worker switching to another user who could not write
 * the recordings into the test's directory). Application {@code live} relays and records every published stream
 * ({@code rec/<name>-<time>.flv}); application {@code closed} refuses every publisher; the statistics page
 * ({@code rtmp_stat}) says which streams are being published. Players are told when a publisher leaves
 * ({@code publish_notify on}), as a live-show origin should be configured.
 *
 * <p>Tests call {@link #assumeInstalled()} first: without nginx or its RTMP module (Debian packages nginx and
 * libnginx-mod-rtmp, which .ci/run installs) the test is skipped with one line saying so.
 */
public final class NginxRtmp implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    private static final Pattern STREAM = Pattern.compile("<stream>(.*?)</stream>", Pattern.DOTALL);

    public final Path dir;
    public final int rtmpPort;
    public final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Process process;

    /** Skips the calling test (one clear line) when nginx or its RTMP module is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(NGINX) && Files.isRegularFile(RTMP_MODULE),
                "skipped: needs " + NGINX + " and " + RTMP_MODULE + " (Debian packages nginx libnginx-mod-rtmp)");
    }

    public NginxRtmp(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.rtmpPort = MediaTools.freePort();
        this.httpPort = MediaTools.freePort();
        for (String d : List.of("logs", "tmp", "rec")) {
            Files.createDirectories(dir.resolve(d));
        }
        String temps = String.join("\n", List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi").stream()
                .map(t -> "    " + t + "_temp_path " + dir.resolve("tmp").resolve(t) + ";").toList());
        Files.writeString(conf(), """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log info;
                load_module %2$s;
                events { worker_connections 256; }
                rtmp {
                  server {
                    listen 127.0.0.1:%3$d;
                    application live {
                      live on;
                      record all;
                      record_path %1$s/rec;
                      record_unique on;
                      # players hear NetStream.Play.UnpublishNotify when a publisher leaves, which FFmpeg reads as
                      # the end of the stream: without it a lost publisher is noticed only by the read timeout
                      publish_notify on;
                    }
                    application closed {
                      live on;
                      deny publish all;
                    }
                  }
                }
                http {
                  access_log off;
                %4$s
                  server {
                    listen 127.0.0.1:%5$d;
                    location /stat { rtmp_stat all; }
                  }
                }
                """.formatted(dir, RTMP_MODULE, rtmpPort, temps, httpPort));
    }

    /** A started nginx in {@code dir} (skips the test when nginx is not installed). */
    public static NginxRtmp started(Path dir) throws IOException, InterruptedException {
        assumeInstalled();
        NginxRtmp n = new NginxRtmp(dir);
        n.start();
        return n;
    }

    private Path conf() {
        return dir.resolve("nginx.conf");
    }

    /** Starts nginx; returns {@link System#nanoTime()} when its RTMP port first accepted a connection. */
    public long start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("nginx already runs");
        }
        process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", conf().toString(),
                "-e", dir.resolve("logs/error.log").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/stdout.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited with " + process.exitValue() + ": " + log());
            }
            if (accepts()) {
                return System.nanoTime();
            }
            Thread.sleep(5);
        }
        throw new IOException("nginx does not accept on port " + rtmpPort + ": " + log());
    }

    /** Stops nginx (fast shutdown: every connection is closed) and waits until the port refuses connections. */
    public void stop() throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (accepts()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("port " + rtmpPort + " still accepts after nginx stopped");
            }
            Thread.sleep(20);
        }
    }

    public boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", rtmpPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The URL to publish or play {@code stream} of application {@code live}. */
    public String url(String stream) {
        return url("live", stream);
    }

    /** The URL of {@code stream} of application {@code app} ({@code live} or {@code closed}). */
    public String url(String app, String stream) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/" + app + "/" + stream;
    }

    /** Whether a client is publishing {@code stream} now, by nginx's statistics page. */
    public boolean publishing(String stream) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/stat"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = STREAM.matcher(r.body());
            while (m.find()) {
                if (m.group(1).contains("<name>" + stream + "</name>") && m.group(1).contains("<publishing/>")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The recordings nginx wrote, oldest first. */
    public List<Path> recordings() throws IOException {
        try (var s = Files.list(dir.resolve("rec"))) {
            return s.filter(p -> p.toString().endsWith(".flv")).sorted().toList();
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("logs/error.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }
}
