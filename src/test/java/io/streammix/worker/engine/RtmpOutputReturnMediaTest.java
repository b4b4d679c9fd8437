package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An RTMP output to a real nginx-rtmp server that is stopped and started again, for ~3 s and then ~20 s: each time
 * the output publishes again within 3 s of nginx accepting connections, while the mix's other output (a file) goes on
 * without a gap and the status says when the next attempt is, without the URL. Prints the measured figures.
 */
class RtmpOutputReturnMediaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "hush-4711";

    @TempDir
    Path dir;

    @Test
    void anRtmpOutputIsBackWithinThreeSecondsOfItsServer() throws Exception {
        NginxRtmp.assumeInstalled();
        try (NginxRtmp nginx = new NginxRtmp(dir.resolve("nginx"))) {
            nginx.start();
            MixOutput push = MediaTools.fileOutput("push", dir.resolve("unused"), 320, 240, 15);
            push.url = nginx.url("mix?key=" + KEY);
            MixOutput file = MediaTools.fileOutput("file", dir.resolve("file.mp4"), 320, 240, 15);
            MixTaskSpec spec = MediaTools.spec(List.of(input("red", "synthetic:color?color=#FF0000&size=320x240&fps=15&tone=440",
                    0, 0, 320, 240, 0)), List.of(push, file));
            var engine = EngineRun.start(spec, dir);
            List<String> figures = new ArrayList<>();
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> nginx.publishing("mix"));
                Thread.sleep(1500);
                for (int downSeconds : new int[]{3, 20}) {
                    nginx.stop();
                    await().atMost(Duration.ofSeconds(5)).until(() -> state(engine, 0).equals(WorkerReport.Output.RECONNECTING));
                    Thread.sleep(downSeconds * 1000L - 500);
                    WorkerReport.Output down = engine.report().outputs().get(0);
                    assertThat(down.state()).isEqualTo(WorkerReport.Output.RECONNECTING);
                    assertThat(down.reason()).as("the next attempt, without the stream key (safeName shows the host only)")
                            .contains("next attempt in").doesNotContain(KEY).doesNotContain("/live/mix");
                    assertThat(state(engine, 1)).as("the file output").isEqualTo(WorkerReport.Output.LIVE);
                    long framesBefore = engine.report().outputs().get(0).frames();
                    long accepting = nginx.start();
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> nginx.publishing("mix"));
                    double back = (System.nanoTime() - accepting) / 1e9;
                    figures.add(String.format(Locale.ROOT, "server down %d s: published again %.2f s after nginx accepted connections",
                            downSeconds, back));
                    assertThat(back).as("seconds from nginx accepting again to the output publishing again").isLessThanOrEqualTo(3.0);
                    await().atMost(Duration.ofSeconds(5)).until(() -> state(engine, 0).equals(WorkerReport.Output.LIVE));
                    assertThat(engine.report().outputs().get(0).frames()).as("encoding went on while the server was down")
                            .isGreaterThan(framesBefore);
                    // A player pulling from nginx gets the stream again, decodable.
                    JsonNode v = MediaTools.stream(JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-rw_timeout", "5000000",
                            "-print_format", "json", "-show_streams", nginx.url("mix"))), "video");
                    assertThat(v.get("codec_name").asText()).isEqualTo("h264");
                    assertThat(v.get("width").asInt()).isEqualTo(320);
                    Thread.sleep(1500);
                }
                assertThat(engine.figures().outputs().get(0).reconnects()).as("one reconnect per outage at least").isGreaterThanOrEqualTo(2);
            } finally {
                engine.close();
            }
            figures.forEach(f -> System.out.println("RtmpOutputReturnMediaTest: " + f));

            // The other output: every frame, no gap (15 fps: consecutive pictures 1/15 s apart) through both outages.
            JsonNode packets = JSON.readTree(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-select_streams", "v",
                    "-show_entries", "packet=pts_time", "-of", "json", dir.resolve("file.mp4").toString())).get("packets");
            List<Double> pts = new ArrayList<>();
            packets.forEach(p -> pts.add(p.get("pts_time").asDouble()));
            pts.sort(Double::compare);
            double worst = 0;
            for (int i = 1; i < pts.size(); i++) {
                worst = Math.max(worst, pts.get(i) - pts.get(i - 1));
            }
            System.out.printf(Locale.ROOT, "RtmpOutputReturnMediaTest: file output %d frames over %.2f s, largest gap %.3f s%n",
                    pts.size(), pts.get(pts.size() - 1) - pts.get(0), worst);
            // A missing picture makes a gap of 2/15 s; fragmented MP4 reads back pictures a few ms off their slot.
            assertThat(worst).as("largest gap between pictures of the file output").isLessThan(1.9 / 15);
            assertThat(pts.size()).isGreaterThan((int) ((pts.get(pts.size() - 1) - pts.get(0)) * 15 * 0.99));
            // nginx recorded one file per publish: the first, and one after each return, each decodable.
            List<Path> recs = nginx.recordings();
            assertThat(recs).hasSizeGreaterThanOrEqualTo(3);
            for (Path rec : recs.subList(recs.size() - 2, recs.size())) {
                JsonNode v = MediaTools.stream(MediaTools.probe(rec), "video");
                assertThat(v.get("codec_name").asText()).as(rec.getFileName().toString()).isEqualTo("h264");
                MediaTools.Picture p = MediaTools.frameAt(rec, 0.2, 320, 240);
                assertThat(p.is(160, 120, 0xFF0000, 40)).as(rec.getFileName() + " " + p.describe(160, 120)).isTrue();
            }
        }
    }

    /** nginx answers on its port but refuses the stream: reopens are spaced by a growing delay, not one per probe. */
    @Test
    void aServerThatRefusesTheStreamIsNotHammered() throws Exception {
        NginxRtmp.assumeInstalled();
        try (NginxRtmp nginx = new NginxRtmp(dir.resolve("nginx"))) {
            nginx.start();
            MixOutput push = MediaTools.fileOutput("push", dir.resolve("unused"), 320, 240, 15);
            push.url = nginx.url("closed", "mix?key=" + KEY);
            MixOutput file = MediaTools.fileOutput("file", dir.resolve("file.mp4"), 320, 240, 15);
            MixTaskSpec spec = MediaTools.spec(List.of(input("red", "synthetic:color?color=#FF0000&size=320x240&fps=15",
                    0, 0, 320, 240, 0)), List.of(push, file));
            var engine = EngineRun.start(spec, dir);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> state(engine, 0).equals(WorkerReport.Output.RECONNECTING));
                long before = engine.figures().outputs().get(0).reconnects();
                Thread.sleep(10_000);
                long attempts = engine.figures().outputs().get(0).reconnects() - before;
                System.out.println("RtmpOutputReturnMediaTest: refused stream, " + attempts + " reopen attempts in 10 s");
                // Delays of 0.5, 1, 2, 4, 4 s: about 4 attempts in 10 s (one per 250 ms probe would be 40).
                assertThat(attempts).as("reopen attempts in 10 s").isBetween(2L, 6L);
                WorkerReport.Output o = engine.report().outputs().get(0);
                assertThat(o.state()).isEqualTo(WorkerReport.Output.RECONNECTING);
                assertThat(o.reason()).contains("next attempt in").doesNotContain(KEY);
                assertThat(state(engine, 1)).isEqualTo(WorkerReport.Output.LIVE);
            } finally {
                engine.close();
            }
        }
    }

    private static String state(MixEngine e, int output) {
        return e.report().outputs().get(output).state();
    }
}
