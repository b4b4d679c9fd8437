package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.Content;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.RenderMode;
import io.streammix.api.v1alpha1.SeiMode;
import io.streammix.api.v1alpha1.Watermark;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerRuntime;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * (a) From the control API accepting a spec (PUT /spec over HTTP) to the first output frame that shows it, in
 * frame intervals; (c) 20 consecutive updates of every live field at once on a running mix pushed over RTMP:
 * one publish session at the receiver, timestamps only going forward, no gap over 2 frame intervals, and the
 * measured video bitrate within 15 % of each new target within 2 s. Prints its figures.
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=LiveUpdateBenchmark -Dtest.excludedGroups=none}
 */
@Tag("benchmark")
class LiveUpdateBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FPS = 15;
    private static final int UPDATES = 20;
    /** Between updates: x264 rates the frames in its lookahead with a new bitrate, so windows must not overlap. */
    private static final long SPACING_MS = 3000;
    private static final int[] BITRATES = {300_000, 700_000};

    @TempDir
    Path dir;

    @Test
    void twentyUpdatesOfEveryLiveField() throws Exception {
        Path noise = dir.resolve("noise.mkv");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x160:rate=15,noise=alls=80:allf=t", "-t", "2",
                "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", noise.toString());
        Path wm = dir.resolve("wm.png");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=white:s=48x48", "-frames:v", "1", wm.toString());
        int port = MediaTools.freePort();
        Path recorded = dir.resolve("bench.flv");
        Process receiver = MediaTools.start(dir.resolve("receiver.log"), "-loglevel", "error", "-listen", "1",
                "-i", "rtmp://127.0.0.1:" + port + "/live/mix", "-c", "copy", "-copyts", "-y", recorded.toString());
        Thread.sleep(500);

        MixOutput out = MediaTools.fileOutput("push", dir.resolve("unused"), 320, 240, FPS);
        out.url = "rtmp://127.0.0.1:" + port + "/live/mix";
        out.video.bitrate = BITRATES[1];
        MixInput noiseIn = input("noise", noise.toString(), 0, 0, 320, 160, 0);
        noiseIn.loop = true;
        MixTaskSpec spec = MediaTools.spec(List.of(noiseIn, box(0)), List.of(out));
        spec.background = new Background("#0000FF", null);
        EngineRun.prepare();
        String token = "benchmark-token";
        HttpClient http = HttpClient.newHttpClient();
        List<double[]> updates = new ArrayList<>(); // {mix time before the PUT, bitrate, colour (1 = green), http ms}
        try (WorkerRuntime worker = WorkerRuntime.start(new SpecSubmission(1, spec),
                new MixEngine.Config(dir, null), "127.0.0.1", 0, token)) {
            MixEngine engine = worker.engine();
            await().atMost(Duration.ofSeconds(15)).until(() -> WorkerReport.Output.LIVE.equals(engine.report().outputs().get(0).state())
                    && engine.report().inputs().stream().allMatch(i -> WorkerReport.Input.LIVE.equals(i.state())));
            Thread.sleep(SPACING_MS);
            // One warm-up update first (class loading, JIT, first watermark decode), printed but not counted.
            for (int i = 1; i <= UPDATES + 1; i++) {
                MixTaskSpec next = everyLiveField(spec, i, noiseIn, wm);
                byte[] body = JSON.writeValueAsBytes(new SpecSubmission(i + 1, next));
                HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.controlPort() + ControlApi.SPEC))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                double before = engine.mixSeconds();
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                double httpMs = (System.nanoTime() - t0) / 1e6;
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                updates.add(new double[]{before, next.outputs.get(0).video.bitrate, i % 2, httpMs});
                Thread.sleep(SPACING_MS);
            }
            assertThat(receiver.isAlive()).as("the receiver still has its one RTMP session").isTrue();
            assertThat(engine.report().outputs().get(0).state()).isEqualTo(WorkerReport.Output.LIVE);
        }
        assertThat(receiver.waitFor(10, TimeUnit.SECONDS)).as("the receiver saw the end of the one stream").isTrue();

        RecordedStream stream = RecordedStream.of(recorded);
        List<double[]> colours = backgroundSamples(recorded);
        List<Double> latencies = new ArrayList<>();
        int bitrateOk = 0;
        StringBuilder rows = new StringBuilder();
        for (int k = 0; k < updates.size(); k++) {
            double[] u = updates.get(k);
            double shownAt = colours.stream().filter(c -> c[0] >= u[0] - 0.5 / FPS && c[1] == u[2]).mapToDouble(c -> c[0])
                    .findFirst().orElse(Double.NaN);
            double frames = (shownAt - u[0]) * FPS;
            double measured = stream.bitrate(u[0] + 0.5, u[0] + 2.0);
            boolean ok = Math.abs(measured - u[1]) <= 0.15 * u[1];
            if (k > 0) {
                latencies.add(frames);
                bitrateOk += ok ? 1 : 0;
            }
            rows.append(k == 0 ? "  warm-up " : "  ").append(String.format("update at %6.2f s: PUT %5.1f ms, shown after %4.2f frame intervals, bitrate target %4.0f kbit/s measured %4.0f (%s)%n",
                    u[0], u[3], frames, u[1] / 1000, measured / 1000, ok ? "ok" : "OFF"));
        }
        List<Double> sorted = latencies.stream().sorted().toList();
        System.out.println("LiveUpdateBenchmark: " + UPDATES + " updates of every live field, 320x240 @ " + FPS + " fps, RTMP out");
        System.out.print(rows);
        System.out.printf("(a) PUT /spec -> first frame showing it: median %.2f, p95 %.2f, max %.2f frame intervals (target <= 2)%n",
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1), sorted.get(sorted.size() - 1));
        System.out.printf("(c) one RTMP session: yes; monotonic timestamps: %s; longest gap %.1f ms (2 intervals = %.1f ms); "
                        + "bitrate within 15 %% of the new target within 2 s: %d of %d%n",
                stream.monotonic(), stream.longestGap() * 1000, 2000.0 / FPS, bitrateOk, UPDATES);
        assertThat(stream.monotonic()).isTrue();
        assertThat(stream.longestGap()).isLessThanOrEqualTo(2.0 / FPS + 1e-3);
        // The targets (a: <= 2 intervals, c: bitrate within 15 %) are figures to read, not assertions: they depend on
        // the machine's load. What must hold whatever the load is asserted above: one session, order, no gap.
        assertThat(latencies).as("every update shows up").noneMatch(l -> Double.isNaN(l));
    }

    private static MixInput box(int i) {
        MixInput box = input("box", "synthetic:color?color=#FF0000&size=160x120&fps=15&tone=440",
                i % 2 == 0 ? 0 : 80, 160, i % 2 == 0 ? 80 : 160, 240, 1);
        box.renderMode = i % 2 == 0 ? RenderMode.Crop : RenderMode.Fit;
        box.content = i % 2 == 0 ? Content.AudioVideo : Content.VideoOnly;
        box.volume = i % 2 == 0 ? 100 : 50;
        box.soundLevelId = (long) i;
        return box;
    }

    /** Update i: every live field takes another value; the background alternates blue / green (the measured change). */
    private static MixTaskSpec everyLiveField(MixTaskSpec base, int i, MixInput noiseIn, Path wm) throws Exception {
        MixTaskSpec s = JSON.readValue(JSON.writeValueAsBytes(base), MixTaskSpec.class);
        s.inputs = new ArrayList<>(List.of(noiseIn, box(i)));
        if (i % 2 == 1) {
            s.inputs.add(input("extra", "synthetic:color?color=#FFFFFF&size=64x32&fps=15", 256, 208, 320, 240, 2)); // added / removed
        }
        s.background = new Background(i % 2 == 1 ? "#00FF00" : "#0000FF", null);
        s.watermark = new Watermark();
        s.watermark.image = wm.toString();
        s.watermark.rect = i % 2 == 1 ? new Rect(160, 160, 208, 208) : new Rect(208, 160, 256, 208);
        s.soundLevel = i % 2 == 1;
        s.userData = "update-" + i;
        s.seiMode = i % 2 == 1 ? SeiMode.EveryFrame : SeiMode.KeyframesAndChanges;
        s.roomId = "room-" + i;
        s.seq = (long) i;
        s.outputs.get(0).video.bitrate = BITRATES[i % 2 == 1 ? 0 : 1];
        return s;
    }

    /** (pts, 1 if green else 0) of every frame, sampled where only the background shows. */
    private static List<double[]> backgroundSamples(Path recorded) throws Exception {
        String csv = new String(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-f", "lavfi", "-i",
                "movie=" + recorded + ",crop=4:4:278:198,signalstats", "-show_entries", "frame=pts_time:frame_tags=lavfi.signalstats.UAVG",
                "-of", "csv=p=0"), StandardCharsets.UTF_8);
        List<double[]> samples = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length >= 2 && !f[0].equals("N/A")) {
                // Blue has U far above 128, green far below.
                samples.add(new double[]{Double.parseDouble(f[0]), Double.parseDouble(f[1]) < 128 ? 1 : 0});
            }
        }
        return samples;
    }
}
