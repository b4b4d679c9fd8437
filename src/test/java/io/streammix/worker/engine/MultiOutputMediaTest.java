package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.NginxRtmp;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several outputs from one canvas: each scaled to its own size; and one output's RTMP server killed while the other
 * goes on, the dead one reconnecting by itself when its server is back.
 */
class MultiOutputMediaTest {
    @TempDir
    Path dir;

    private static final String RED_LEFT = "synthetic:color?color=#FF0000&size=320x360&fps=15&tone=440";

    @Test
    void twoOutputsAtDifferentSizesShowTheSameLayout() throws Exception {
        MixOutput big = MediaTools.fileOutput("big", dir.resolve("big.mp4"), 640, 360, 15);
        MixOutput small = MediaTools.fileOutput("small", dir.resolve("small.mkv"), 320, 180, 10);
        MixTaskSpec spec = MediaTools.spec(List.of(input("red", RED_LEFT, 0, 0, 320, 360, 0)), List.of(big, small));
        spec.background = new Background("#0000FF", null);
        EngineRun.runFor(spec, dir, 3.5);

        for (Path f : List.of(dir.resolve("big.mp4"), dir.resolve("small.mkv"))) {
            boolean isBig = f.endsWith("big.mp4");
            int w = isBig ? 640 : 320;
            int h = isBig ? 360 : 180;
            JsonNode v = MediaTools.stream(MediaTools.probe(f), "video");
            assertThat(v.get("width").asInt()).as(f.toString()).isEqualTo(w);
            assertThat(v.get("height").asInt()).isEqualTo(h);
            assertThat(v.get("r_frame_rate").asText()).isEqualTo(isBig ? "15/1" : "10/1");
            MediaTools.Picture p = MediaTools.frameAt(f, 2.5, w, h);
            // The input's rect is the left half of the canvas in every output, whatever its size.
            assertThat(p.is(w / 4, h / 2, 0xFF0000, 40)).as(f + " " + p.describe(w / 4, h / 2)).isTrue();
            assertThat(p.is(3 * w / 4, h / 2, 0x0000FF, 40)).as(f + " " + p.describe(3 * w / 4, h / 2)).isTrue();
            assertThat(p.is(w / 2 - 4, h / 2, 0xFF0000, 60)).as("edge of the rect " + p.describe(w / 2 - 4, h / 2)).isTrue();
            assertThat(p.is(w / 2 + 4, h / 2, 0x0000FF, 60)).as("edge of the rect " + p.describe(w / 2 + 4, h / 2)).isTrue();
        }
    }

    private Process receiver(int port, Path file) throws Exception {
        return MediaTools.start(dir.resolve(file.getFileName() + ".log"), "-loglevel", "error", "-listen", "1",
                "-i", "rtmp://127.0.0.1:" + port + "/live/mix", "-c", "copy", "-y", file.toString());
    }

    /**
     * b's server is a real nginx-rtmp (stopped and started again): an FFmpeg {@code -listen 1} server accepts one
     * connection only, which the output's port probe ({@link SinkRetry}) would use up.
     */
    @Test
    void oneRtmpServerDownNeverStallsTheOtherAndItsOutputReconnects() throws Exception {
        NginxRtmp.assumeInstalled();
        int portA = MediaTools.freePort();
        Path recA = dir.resolve("a.flv");
        Process a = receiver(portA, recA);
        NginxRtmp b = new NginxRtmp(dir.resolve("nginx-b"));
        b.start();
        Thread.sleep(500);
        MixOutput outA = MediaTools.fileOutput("a", dir.resolve("unused"), 320, 180, 15);
        outA.url = "rtmp://127.0.0.1:" + portA + "/live/mix";
        MixOutput outB = MediaTools.fileOutput("b", dir.resolve("unused"), 320, 180, 15);
        outB.url = b.url("mix?key=secret");
        MixEngine engine = null;
        try {
            engine = EngineRun.start(MediaTools.spec(List.of(input("red", RED_LEFT, 0, 0, 160, 180, 0)), List.of(outA, outB)), dir);
            MixEngine e = engine;
            await().atMost(Duration.ofSeconds(10)).until(() -> e.report().outputs().stream()
                    .allMatch(o -> o.state().equals(WorkerReport.Output.LIVE) && o.frames() > 15));
            b.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> out(e, "b").state().equals(WorkerReport.Output.RECONNECTING));
            WorkerReport.Output down = out(e, "b");
            assertThat(down.reason()).contains("next attempt in").doesNotContain("secret").doesNotContain("/live/mix");
            assertThat(e.report().state()).isEqualTo(WorkerReport.DEGRADED);

            long framesA = out(e, "a").frames();
            Thread.sleep(2000);
            assertThat(out(e, "a").frames()).as("output a goes on while b's server is down").isGreaterThan(framesA + 20);
            assertThat(out(e, "a").state()).isEqualTo(WorkerReport.Output.LIVE);

            int recordedBefore = b.recordings().size();
            b.start();
            await().atMost(Duration.ofSeconds(25)).until(() -> out(e, "b").state().equals(WorkerReport.Output.LIVE));
            Thread.sleep(2000);
            double mixed = e.mixSeconds();
            e.close();
            assertThat(a.waitFor(10, TimeUnit.SECONDS)).isTrue();
            b.stop();

            // a recorded the whole mix; b's server, back, recorded a stream that starts decodable.
            JsonNode pa = MediaTools.probe(recA);
            assertThat(pa.get("format").get("duration").asDouble()).isGreaterThan(mixed - 2.5);
            List<Path> recs = b.recordings();
            assertThat(recs).hasSize(recordedBefore + 1);
            Path b2 = recs.get(recs.size() - 1);
            JsonNode pb = MediaTools.probe(b2);
            assertThat(MediaTools.stream(pb, "video").get("codec_name").asText()).isEqualTo("h264");
            assertThat(MediaTools.stream(pb, "video").get("width").asInt()).isEqualTo(320);
            assertThat(pb.get("format").get("duration").asDouble()).isGreaterThan(1.0);
            byte[] rgb = MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-i", b2.toString(),
                    "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
            MediaTools.Picture first = new MediaTools.Picture(320, 180, rgb);
            assertThat(first.is(80, 90, 0xFF0000, 40)).as("first picture after the reconnect " + first.describe(80, 90)).isTrue();
        } finally {
            if (engine != null) {
                engine.close();
            }
            a.destroy();
            b.close();
        }
    }

    @Test
    void anRtmpServerThatAcceptsButNeverAnswersNeverStallsTheOtherOutput() throws Exception {
        // A TCP server that accepts and then says nothing: the RTMP handshake hangs until the I/O timeout.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            MixOutput file = MediaTools.fileOutput("file", dir.resolve("file.mp4"), 320, 180, 15);
            MixOutput stuck = MediaTools.fileOutput("stuck", dir.resolve("unused"), 320, 180, 15);
            stuck.url = "rtmp://127.0.0.1:" + silent.getLocalPort() + "/live/mix";
            MixEngine e = EngineRun.start(MediaTools.spec(List.of(input("red", RED_LEFT, 0, 0, 160, 180, 0)), List.of(file, stuck)), dir);
            try {
                Thread.sleep(3000);
                assertThat(out(e, "file").frames()).as("the file output runs while the other hangs in its handshake")
                        .isGreaterThan(30);
                await().atMost(Duration.ofSeconds(15)).until(() -> out(e, "stuck").state().equals(WorkerReport.Output.RECONNECTING));
                assertThat(out(e, "stuck").reason()).contains("timed out");
                assertThat(out(e, "file").state()).isEqualTo(WorkerReport.Output.LIVE);
                double mixed = e.mixSeconds();
                e.close();
                JsonNode probe = MediaTools.probe(dir.resolve("file.mp4"));
                assertThat(probe.get("format").get("duration").asDouble()).isGreaterThan(mixed - 1.5);
                long frames = Long.parseLong(new String(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-select_streams", "v",
                        "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0",
                        dir.resolve("file.mp4").toString())).trim());
                assertThat(frames).as("no frames lost to the stuck output").isGreaterThan((long) ((mixed - 1.5) * 15));
            } finally {
                e.close();
                for (java.net.Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    private static WorkerReport.Output out(MixEngine e, String name) {
        return e.report().outputs().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }
}
