package io.streammix.worker.engine.input;

import com.sun.net.httpserver.HttpServer;
import io.streammix.api.v1alpha1.LossDisplay;
import io.streammix.api.v1alpha1.LossPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An HLS input: ffmpeg's hls muxer writes a live playlist (1 s segments, a rolling window) into a directory served over
 * real HTTP (the JDK's server, as an origin would). The writer is killed, so the playlist stops growing: FFmpeg's HLS
 * demuxer ends the stream after a few reloads without a new segment (m3u8_hold_counters), the input is lost; the origin
 * then drops the stale playlist (404), and a new writer brings the input back.
 */
class HlsInputLossMediaTest {
    @TempDir
    Path dir;

    @Test
    void aPlaylistThatStopsGrowingIsLostAndPickedUpWhenItGrowsAgain() throws Exception {
        Path hls = Files.createDirectories(dir.resolve("hls"));
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/hls/", ex -> {
            Path f = hls.resolve(ex.getRequestURI().getPath().substring("/hls/".length())).normalize();
            byte[] body = f.startsWith(hls) && Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
            ex.getResponseHeaders().set("Content-Type", f.toString().endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t");
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        origin.start();
        Path playlist = hls.resolve("live.m3u8");
        LossScenario.Peer writer = new LossScenario.Peer() {
            Process p;

            @Override
            public void start() throws Exception {
                p = LossScenario.publish(dir.resolve("hls-" + System.nanoTime() + ".log"), "-f", "hls", "-hls_time", "1",
                        "-hls_list_size", "5", "-hls_flags", "delete_segments+omit_endlist", "-hls_start_number_source", "epoch",
                        "-hls_segment_filename", hls.resolve("seg-%d.ts").toString(), playlist.toString());
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!Files.exists(playlist) && System.nanoTime() < deadline) {
                    Thread.sleep(50); // the first segment is written after hls_time
                }
            }

            @Override
            public void stop() throws Exception {
                if (p != null) {
                    p.destroyForcibly().waitFor();
                }
            }

            @Override
            public void lost() throws Exception {
                Files.deleteIfExists(playlist);
            }
        };
        try {
            LossScenario.run("HLS", dir, "http://127.0.0.1:" + origin.getAddress().getPort() + "/hls/live.m3u8", writer,
                    new LossPolicy(1000, LossDisplay.Image, LossScenario.greenPlaceholder(dir).toString()), LossScenario.GREEN, true,
                    true, 2.0, Duration.ofSeconds(10));
        } finally {
            writer.stop();
            origin.stop(0);
        }
    }
}
