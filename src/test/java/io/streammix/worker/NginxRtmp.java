package io.streammix.worker;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A private nginx with its RTMP module on a free loopback port: the realistic RTMP server of a live show, where a
 * publisher can die and come back while the server (and the mixer's play connection to it) stays up. Own config, pid
 * and logs in a temp dir, in the foreground ({@code daemon off}, one process), stopped by {@link #close()}.
 * Tests using it skip with one line when nginx or the module is missing (CI installs both: .ci/run).
 *
 * <p>{@code publish_notify on}: nginx then tells players {@code NetStream.Play.UnpublishNotify} when a publisher goes,
 * which FFmpeg reads as the end of the stream. Without it (nginx's default) nginx sends only a StreamEOF user control
 * message, which FFmpeg ignores: a player then finds the loss by its read timeout alone.
 */
public final class NginxRtmp implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private final Path dir;
    private final int port;
    private final Process process;

    private NginxRtmp(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Skips the calling test (JUnit assumption) when nginx or its RTMP module is not installed. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(Files.isExecutable(NGINX) && Files.isRegularFile(MODULE),
                "skipped: nginx with its RTMP module is not installed (Debian: nginx libnginx-mod-rtmp)");
    }

    /** Starts nginx serving RTMP application {@code live} ({@code live on}: players wait for a publisher that is away). */
    public static NginxRtmp start(Path dir) throws IOException, InterruptedException {
        assumeAvailable();
        Files.createDirectories(dir.resolve("logs"));
        int port = MediaTools.freePort();
        String conf = """
                load_module %s;
                daemon off;
                master_process off;
                worker_processes 1;
                pid %s;
                error_log %s info;
                events { worker_connections 64; }
                rtmp {
                    server {
                        listen 127.0.0.1:%d;
                        chunk_size 4096;
                        application live {
                            live on;
                            record off;
                            publish_notify on;
                        }
                    }
                }
                """.formatted(MODULE, dir.resolve("nginx.pid"), dir.resolve("logs/error.log"), port);
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process p = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", confFile.toString(),
                "-e", dir.resolve("logs/error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        try {
            MediaTools.awaitListening(port, Duration.ofSeconds(10));
        } catch (IOException e) {
            p.destroyForcibly();
            throw new IOException("nginx did not start: " + Files.readString(dir.resolve("logs/stdout.log")), e);
        }
        return new NginxRtmp(dir, port, p);
    }

    /** Where a publisher pushes and the mixer plays stream {@code key}. */
    public String url(String key) {
        return "rtmp://127.0.0.1:" + port + "/live/" + key;
    }

    public Path errorLog() {
        return dir.resolve("logs/error.log");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
