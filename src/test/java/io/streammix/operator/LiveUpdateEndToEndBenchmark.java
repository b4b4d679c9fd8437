package io.streammix.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.streammix.api.v1alpha1.AudioEncoding;
import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerRuntime;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.control.ControlServer;
import io.streammix.worker.engine.MixEngine;
import io.streammix.worker.media.Encoder;
import io.streammix.worker.media.Frames;
import io.streammix.worker.playback.LiveFlvFrames;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/**
 * (b) of the live-update measures, end to end: from a MixTask patch ({@code client...edit(...)} returning) to the
 * first output frame that shows it, decoded by a live HTTP-FLV viewer of the worker's media port. Everything on the
 * path is the production code: the fabric8 mock API server (CRUD), the real operator (JOSDK {@link Operator} with
 * {@link MixTaskReconciler}, through {@link OperatorHarness} - chosen over the Quarkus test setup of
 * LiveUpdateOperatorBenchmark because the worker has to start after the operator wrote the task's Secret, with the
 * token and spec.json read from it as a worker pod does, and a plain JUnit test orders that without a
 * QuarkusTestResource), the worker's control API, engine, x264 encoder, FLV muxer and media server
 * ({@link WorkerRuntime} on loopback), and FFmpeg's FLV demuxer and H.264 decoder in the viewer.
 *
 * <p>The layout: a red box (160x120) on a blue background over a moving test pattern, 320x240 at 15 fps; each patch
 * moves the box between the top left and the top right quarter (inputs[0].rect, a Live field), and a picture shows the
 * new state when the V plane says red where the box now is and blue where it was. One warm-up patch, then
 * {@value #PATCHES} counted ones, spaced by a random 250-650 ms after each is seen (so patches land at every phase of
 * the frame tick). Each patch must be seen within 5 s; the 500 ms target of issue #6 is printed, not asserted.
 *
 * <p>Printed beside the total: patch to the worker applying the generation (operator and control API; polled every
 * 5 ms), patch to the frame's pts on the mix timeline (what (a) of LiveUpdateBenchmark measures after the PUT), and
 * what the encoder, muxer, HTTP and decoder add on top (the rest: encoder lookahead and B-frames, veryfast preset).
 *
 * <p>Run: {@code flock /tmp/mvn.lock ./mvnw -q test -Dtest=LiveUpdateEndToEndBenchmark -Dtest.excludedGroups=none}
 * (about 60 s). On 2 shared cores, 24 patches: patch to decoded frame p50 1336, p95 1362, max 1372 ms - the 500 ms
 * target is missed, and not by the operator: patch to worker applied p50 35 / p95 51 ms, patch to the frame's pts
 * p50 67 / p95 93 ms (the next tick or the one after), then a constant 1269 ms = 19 frame intervals: 17 frames of
 * libx264's own delay (veryfast: rc-lookahead 10, 3 B-frames, frame threads) and 2 of decoder reorder (B-pyramid).
 * With {@code tune=zerolatency} added to Encoder as an experiment (not in the code): p50 134, p95 192 ms.
 */
@EnableKubernetesMockClient(crud = true)
@Tag("benchmark")
class LiveUpdateEndToEndBenchmark {
    static final String NS = "bench-e2e";
    static final String NAME = "b-e2e";
    static final int PATCHES = 24;
    static final int FPS = 15;
    static final int LEFT = 0;
    static final int RIGHT = 1;
    static final int NEITHER = -1;
    static KubernetesClient client;

    @TempDir
    Path dir;
    Operator operator;
    WorkerRuntime worker;
    LiveFlvFrames viewer;

    @AfterEach
    void stop() throws Exception {
        if (operator != null) {
            operator.stop();
        }
        if (viewer != null) {
            viewer.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void patchToFirstFrameShowingIt() throws Exception {
        EngineRun.prepare();
        int controlPort = MediaTools.freePort();
        OperatorHarness.createCrd(client);
        operator = OperatorHarness.start(client, OperatorHarness.config(Map.of(
                "mixtask.worker.control-url-template", "http://127.0.0.1:" + controlPort,
                "mixtask.status-refresh-interval", "1s")));
        client.resource(task()).create();

        // What a worker pod does at start-up: token and spec.json from the task's Secret.
        Secret secret = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.secrets().inNamespace(NS).withName("mt-" + NAME).get(),
                        s -> s != null && s.getData() != null && s.getData().containsKey(ControlApi.SECRET_SPEC_KEY));
        SpecSubmission first = ControlServer.JSON.readValue(Tasks.decode(secret, ControlApi.SECRET_SPEC_KEY), SpecSubmission.class);
        worker = WorkerRuntime.start(first, new MixEngine.Config(dir, null), "127.0.0.1", controlPort, 0,
                Tasks.decode(secret, ControlApi.SECRET_TOKEN_KEY));
        MixEngine engine = worker.engine();
        await().atMost(Duration.ofSeconds(30)).until(() -> phase() == Phase.Running);
        viewer = new LiveFlvFrames("http://127.0.0.1:" + worker.mediaPort() + "/live/out.flv", LiveUpdateEndToEndBenchmark::boxAt);
        await().atMost(Duration.ofSeconds(15)).until(() -> viewer.seen().stream().filter(s -> s.state() == LEFT).count() > FPS);

        // When the worker has applied each generation, seen from inside (report().generation(), every 5 ms).
        Map<Long, Long> appliedAt = new ConcurrentHashMap<>();
        Thread poller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                appliedAt.putIfAbsent(engine.report().generation(), System.nanoTime());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "generation-poller");
        poller.setDaemon(true);
        poller.start();

        Random spacing = new Random(6);
        List<double[]> rows = new ArrayList<>(); // {total ms, to applied ms, mix-timeline ms, edit ms}
        try {
            for (int i = 1; i <= PATCHES + 1; i++) {
                int to = i % 2 == 1 ? RIGHT : LEFT;
                long editStart = System.nanoTime();
                MixTask edited = client.resources(MixTask.class).inNamespace(NS).withName(NAME).edit(t -> {
                    t.getSpec().inputs.get(0).rect = box(to);
                    return t;
                });
                long t0 = System.nanoTime();
                double mixAtPatch = engine.mixSeconds();
                long generation = edited.getMetadata().getGeneration();
                LiveFlvFrames.Seen shown = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                        .alias("patch " + i + " (generation " + generation + ") shows in the output")
                        .until(() -> viewer.seen().stream().filter(s -> s.decodedAtNanos() > t0 && s.state() == to).findFirst(),
                                java.util.Optional::isPresent).orElseThrow();
                Long applied = await().atMost(Duration.ofSeconds(1)).until(() -> appliedAt.get(generation), a -> a != null);
                double[] row = {(shown.decodedAtNanos() - t0) / 1e6, (applied - t0) / 1e6, (shown.pts() - mixAtPatch) * 1000,
                        (t0 - editStart) / 1e6};
                if (i > 1) {
                    rows.add(row);
                }
                System.out.printf("  %s patch %2d -> %s: frame decoded %6.1f ms, worker applied %6.1f ms, frame pts %6.1f ms after the patch on the mix timeline (edit call %5.1f ms)%n",
                        i == 1 ? "warm-up" : "       ", i, to == RIGHT ? "right" : "left ", row[0], row[1], row[2], row[3]);
                Thread.sleep(250 + spacing.nextInt(400));
            }
        } finally {
            poller.interrupt();
        }
        assertThat(viewer.failure()).as("the viewer read the live stream to the end").isNull();
        assertThat(engine.report().state()).isEqualTo(WorkerReport.RUNNING);
        assertThat(engine.report().generation()).as("the worker runs the last generation").isEqualTo(
                client.resources(MixTask.class).inNamespace(NS).withName(NAME).get().getMetadata().getGeneration());

        List<LiveFlvFrames.Seen> frames = viewer.seen();
        List<Double> intervals = new ArrayList<>();
        for (int k = 1; k < frames.size(); k++) {
            intervals.add((frames.get(k).decodedAtNanos() - frames.get(k - 1).decodedAtNanos()) / 1e6);
        }
        System.out.printf("LiveUpdateEndToEndBenchmark: %d live patches (inputs[0].rect), operator on the fabric8 mock API server, "
                + "real worker, 320x240 @ %d fps H.264 over HTTP-FLV, decoded in the test%n", PATCHES, FPS);
        System.out.printf("(b) MixTask patch -> first decoded frame showing it: %s (target p95 <= 500 ms)%n", stats(rows, 0));
        System.out.printf("    of which patch -> worker applied the generation (operator, Secret, PUT /spec): %s%n", stats(rows, 1));
        System.out.printf("    patch -> pts of that frame on the mix timeline: %s%n", stats(rows, 2));
        System.out.printf("    decoded - mix-timeline (encoder lookahead/B-frames, FLV, HTTP, decoder): %s%n",
                stats(rows.stream().map(r -> new double[]{r[0] - r[2]}).toList(), 0));
        int delay = x264DelayFrames();
        System.out.printf("    of which the x264 encoder's own delay at the worker's settings (veryfast, 2 s GOP, CBR, %d cores): %d frames = %.0f ms%n",
                Runtime.getRuntime().availableProcessors(), delay, delay * 1000.0 / FPS);
        System.out.printf("    edit() call itself (GET + PUT to the mock API server): %s%n", stats(rows, 3));
        System.out.printf("    frame interval at the viewer: nominal %.1f ms, %s over %d frames%n", 1000.0 / FPS,
                stats(intervals.stream().map(d -> new double[]{d}).toList(), 0), frames.size());
    }

    /**
     * Frames libx264 takes in before it gives out its first packet, opened as OutputWorker opens it for this output
     * (preset "veryfast" is OutputWorker's choice, repeated here): the fixed part of what the viewer waits beyond
     * the mix timeline.
     */
    private static int x264DelayFrames() {
        try (Encoder enc = Encoder.video(new Encoder.VideoSettings("libx264", 320, 240, FPS, 500_000, null, "veryfast"), "probe")) {
            AVFrame f = Frames.video(320, 240, AV_PIX_FMT_YUV420P);
            try {
                Frames.fill(f, Frames.Yuv.ofHex("#808080"));
                boolean[] out = {false};
                for (int k = 0; k < 10 * FPS; k++) {
                    f.pts(k);
                    enc.encode(f, p -> out[0] = true);
                    if (out[0]) {
                        return k;
                    }
                }
                return -1;
            } finally {
                Frames.free(f);
            }
        }
    }

    private Phase phase() {
        MixTask t = client.resources(MixTask.class).inNamespace(NS).withName(NAME).get();
        return t == null || t.getStatus() == null ? null : t.getStatus().phase;
    }

    /** "p50 x, p95 y, max z ms" of column {@code col}. */
    private static String stats(List<double[]> rows, int col) {
        List<Double> s = rows.stream().map(r -> r[col]).sorted().toList();
        return String.format("count %d, p50 %.1f, p95 %.1f, max %.1f ms", s.size(), s.get(s.size() / 2),
                s.get((int) Math.ceil(s.size() * 0.95) - 1), s.get(s.size() - 1));
    }

    /** Where the red box is in a decoded picture: V (red ~240, blue ~110) in the middle of both top quarters. */
    private static int boxAt(AVFrame f) {
        boolean leftRed = LiveFlvFrames.planeAverage(f, 2, 38, 28, 4) > 175;
        boolean rightRed = LiveFlvFrames.planeAverage(f, 2, 118, 28, 4) > 175;
        return leftRed == rightRed ? NEITHER : leftRed ? LEFT : RIGHT;
    }

    private static Rect box(int where) {
        Rect r = where == LEFT ? new Rect(0, 0, 160, 120) : new Rect(160, 0, 320, 120);
        r.layer = 1;
        return r;
    }

    private static MixTask task() {
        MixTask task = new MixTask();
        task.getMetadata().setName(NAME);
        task.getMetadata().setNamespace(NS);
        MixTaskSpec spec = new MixTaskSpec();
        spec.background = new Background("#0000FF", null);
        MixInput boxIn = new MixInput();
        boxIn.name = "box";
        boxIn.url = "synthetic:color?color=#FF0000&size=160x120&fps=15&tone=440";
        boxIn.rect = box(LEFT);
        MixInput scene = new MixInput();
        scene.name = "scene";
        scene.url = "synthetic:testsrc?size=320x120&fps=15";
        scene.rect = new Rect(0, 120, 320, 240);
        scene.rect.layer = 0;
        spec.inputs = new ArrayList<>(List.of(boxIn, scene));
        MixOutput out = new MixOutput();
        out.name = "out";
        out.streamId = "out"; // no media server configured: the worker serves it at /live/out.flv
        out.video = new VideoEncoding();
        out.video.width = 320;
        out.video.height = 240;
        out.video.fps = FPS;
        out.video.bitrate = 500_000;
        out.audio = new AudioEncoding();
        out.audio.bitrate = 64_000;
        out.audio.channels = 2;
        spec.outputs = new ArrayList<>(List.of(out));
        task.setSpec(spec);
        return task;
    }
}
