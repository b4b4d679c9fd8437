package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.Content;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.RenderMode;
import io.streammix.api.v1alpha1.Watermark;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools.Picture;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live updates on a running mix, checked in what a receiver recorded: each live field shows in the pictures
 * or the sound, the output's one RTMP session is never broken (the receiver takes a single connection and
 * would end with it), its timestamps only go forward without gaps; an H.264 bitrate change reaches the
 * running encoder; an output-restart field reopens only its own output.
 */
class LiveUpdateMediaTest {
    private static final int TOL = 40;
    private static final int FPS = 15;

    @TempDir
    Path dir;

    private long generation = 1;

    @Test
    void liveFieldsShowInTheRunningOutputWithoutBreakingItsSession() throws Exception {
        Path wm = dir.resolve("wm.png");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=white:s=64x64", "-frames:v", "1", wm.toString());
        int port = MediaTools.freePort();
        Path recorded = dir.resolve("recorded.flv");
        Process receiver = receiver(port, recorded);
        MixOutput out = MediaTools.fileOutput("push", dir.resolve("unused"), 320, 240, FPS);
        out.url = "rtmp://127.0.0.1:" + port + "/live/mix";
        MixTaskSpec spec = MediaTools.spec(List.of(input("red", "synthetic:color?color=#FF0000&size=320x240&fps=15&tone=440",
                0, 0, 160, 120, 0)), List.of(out));
        spec.background = new Background("#0000FF", null);
        MixEngine engine = EngineRun.start(MediaTools.copy(spec), dir);
        List<double[]> at = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.report().inputs().get(0).state().equals(WorkerReport.Input.LIVE)
                    && WorkerReport.Output.LIVE.equals(engine.report().outputs().get(0).state()));
            Thread.sleep(800);
            MixEngine e = engine;
            at.add(step(e, spec, s -> s.inputs.get(0).rect = new Rect(160, 120, 320, 240)));          // 0 rect
            at.add(step(e, spec, s -> s.background = new Background("#00FF00", null)));              // 1 background
            at.add(step(e, spec, s -> {                                                               // 2 watermark
                s.watermark = new Watermark();
                s.watermark.image = wm.toString();
                s.watermark.rect = new Rect(0, 0, 64, 64);
            }));
            at.add(step(e, spec, s -> s.inputs.add(input("white", "synthetic:color?color=#FFFFFF&size=320x240&fps=15",
                    0, 120, 160, 240, 0))));                                                          // 3 input added
            at.add(step(e, spec, s -> s.inputs.get(1).rect = new Rect(0, 120, 240, 240)));           // 4 rect, Crop fills
            at.add(step(e, spec, s -> s.inputs.get(1).renderMode = RenderMode.Fit));                 // 5 renderMode
            at.add(step(e, spec, s -> s.inputs.get(0).content = Content.AudioOnly));                  // 6 content
            at.add(step(e, spec, s -> s.inputs.get(0).volume = 0));                                   // 7 volume
            at.add(step(e, spec, s -> s.inputs.remove(1)));                                           // 8 input removed
            assertThat(engine.report().lastUpdate().message()).isEqualTo("live");
            assertThat(receiver.isAlive()).as("the receiver still has its one session").isTrue();
            assertThat(engine.report().outputs().get(0).state()).isEqualTo(WorkerReport.Output.LIVE);
            engine.close();
            assertThat(receiver.waitFor(10, TimeUnit.SECONDS)).as("the receiver saw the end of the stream").isTrue();
        } finally {
            engine.close();
            receiver.destroy();
        }

        RecordedStream stream = RecordedStream.of(recorded);
        assertThat(stream.monotonic()).as("timestamps only go forward").isTrue();
        assertThat(stream.longestGap()).as("no gap longer than 2 frame intervals").isLessThanOrEqualTo(2.0 / FPS + 1e-3);
        assertThat(stream.duration()).isGreaterThan(at.get(at.size() - 1)[0]);

        // Each change is on screen from at most a frame or two after it was applied (checked 0.4 s later).
        Picture p0 = frame(recorded, at.get(0));
        colour(p0, 240, 180, 0xFF0000, "rect moved: red at its new place");
        colour(p0, 80, 60, 0x0000FF, "rect moved: old place shows the background");
        colour(frame(recorded, at.get(1)), 80, 60, 0x00FF00, "background colour changed");
        colour(frame(recorded, at.get(2)), 32, 32, 0xFFFFFF, "watermark added");
        Picture p3 = frame(recorded, at.get(3));
        colour(p3, 80, 180, 0xFFFFFF, "added input drawn");
        colour(p3, 200, 180, 0xFF0000, "added input: red unchanged");
        colour(frame(recorded, at.get(4)), 20, 180, 0xFFFFFF, "rect widened, Crop fills it");
        Picture p5 = frame(recorded, at.get(5));
        colour(p5, 20, 180, 0x00FF00, "Fit: bar at the left shows the background");
        colour(p5, 120, 180, 0xFFFFFF, "Fit: picture in the middle");
        colour(frame(recorded, at.get(6)), 280, 200, 0x00FF00, "AudioOnly: red no longer drawn");
        colour(frame(recorded, at.get(8)), 80, 180, 0x00FF00, "removed input gone");
        double toneBefore = MediaTools.tone(MediaTools.pcm(recorded, at.get(6)[0] + 0.2, 0.6), 440);
        double toneAfter = MediaTools.tone(MediaTools.pcm(recorded, at.get(7)[0] + 0.2, 0.6), 440);
        assertThat(toneBefore).as("AudioOnly input still heard").isGreaterThan(0.08);
        assertThat(toneAfter).as("volume 0 silences it").isLessThan(toneBefore / 50);
    }

    @Test
    void h264BitrateChangesOnTheRunningEncoder() throws Exception {
        Path noise = noiseFile();
        int port = MediaTools.freePort();
        Path recorded = dir.resolve("bitrate.flv");
        Process receiver = receiver(port, recorded);
        MixOutput out = MediaTools.fileOutput("push", dir.resolve("unused"), 320, 240, FPS);
        out.url = "rtmp://127.0.0.1:" + port + "/live/mix";
        out.video.bitrate = 400_000;
        var in = input("noise", noise.toString(), 0, 0, 320, 240, 0);
        in.loop = true;
        MixTaskSpec spec = MediaTools.spec(List.of(in), List.of(out));
        MixEngine engine = EngineRun.start(MediaTools.copy(spec), dir);
        double changedAt;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> WorkerReport.Output.LIVE.equals(engine.report().outputs().get(0).state()));
            Thread.sleep(3500);
            changedAt = step(engine, spec, s -> s.outputs.get(0).video.bitrate = 1_000_000)[0];
            assertThat(engine.report().lastUpdate().message()).isEqualTo("live; bitrate reconfigured: push");
            Thread.sleep(3500);
            assertThat(receiver.isAlive()).as("the receiver still has its one session").isTrue();
            engine.close();
            assertThat(receiver.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            engine.close();
            receiver.destroy();
        }
        RecordedStream stream = RecordedStream.of(recorded);
        assertThat(stream.monotonic()).isTrue();
        assertThat(stream.longestGap()).isLessThanOrEqualTo(2.0 / FPS + 1e-3);
        // The receiver keeps the mix's timestamps (-copyts): the recording's time is the mix time.
        // x264 also rates the frames still in its lookahead and frame threads with the new rate: up to about a
        // second before the change on this machine, so the "before" window ends a second early.
        double before = stream.bitrate(changedAt - 2.0, changedAt - 1.0);
        double after = stream.bitrate(changedAt + 0.5, changedAt + 2.0);
        String figures = String.format("changed at %.2f s: before %.0f bps, after %.0f bps; per second %s", changedAt, before, after,
                stream.profile());
        assertThat(before).as(figures).isBetween(400_000 * 0.75, 400_000 * 1.25);
        assertThat(after).as("within 15 %% of the new target within 2 s: " + figures).isBetween(1_000_000 * 0.85, 1_000_000 * 1.15);
    }

    @Test
    void fpsChangeReopensOnlyItsOwnOutput() throws Exception {
        int port = MediaTools.freePort();
        Path recorded = dir.resolve("kept.flv");
        Process receiver = receiver(port, recorded);
        MixOutput kept = MediaTools.fileOutput("kept", dir.resolve("unused"), 320, 240, FPS);
        kept.url = "rtmp://127.0.0.1:" + port + "/live/mix";
        Path file = dir.resolve("other.mkv");
        MixOutput other = MediaTools.fileOutput("other", file, 160, 120, FPS);
        MixTaskSpec spec = MediaTools.spec(List.of(input("cam", "synthetic:testsrc?size=320x240&fps=15", 0, 0, 320, 240, 0)),
                List.of(kept, other));
        MixEngine engine = EngineRun.start(MediaTools.copy(spec), dir);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.report().outputs().stream()
                    .allMatch(o -> WorkerReport.Output.LIVE.equals(o.state())));
            Thread.sleep(1500);
            long keptBefore = engine.report().outputs().get(0).frames();
            long otherBefore = engine.report().outputs().get(1).frames();
            step(engine, spec, s -> s.outputs.get(1).video.fps = 5);
            assertThat(engine.report().lastUpdate().message()).isEqualTo("live; outputs restarted: other");
            WorkerReport.Output keptNow = engine.report().outputs().get(0);
            assertThat(keptNow.frames()).as("the kept output's frame counter goes on").isGreaterThanOrEqualTo(keptBefore);
            assertThat(engine.report().outputs().get(1).frames()).as("the other output starts again").isLessThan(otherBefore);
            Thread.sleep(1500);
            assertThat(receiver.isAlive()).as("the kept output's session is untouched").isTrue();
            assertThat(engine.report().outputs().get(0).state()).isEqualTo(WorkerReport.Output.LIVE);
            engine.close();
            assertThat(receiver.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            engine.close();
            receiver.destroy();
        }
        RecordedStream stream = RecordedStream.of(recorded);
        assertThat(stream.monotonic()).isTrue();
        assertThat(stream.longestGap()).isLessThanOrEqualTo(2.0 / FPS + 1e-3);
        var probe = MediaTools.probe(file);
        assertThat(MediaTools.stream(probe, "video").get("r_frame_rate").asText()).isEqualTo("5/1");
    }

    @Test
    void canvasSizeChangeReopensTheFirstOutputAndTheOtherScalesTheNewCanvas() throws Exception {
        int port = MediaTools.freePort();
        Path recorded = dir.resolve("same-size.flv");
        Process receiver = receiver(port, recorded);
        Path canvasFile = dir.resolve("canvas.mkv");
        MixOutput canvas = MediaTools.fileOutput("canvas", canvasFile, 320, 240, FPS);
        // Same size as the canvas at first: it needs no scaling until the canvas grows.
        MixOutput kept = MediaTools.fileOutput("kept", dir.resolve("unused"), 320, 240, FPS);
        kept.url = "rtmp://127.0.0.1:" + port + "/live/mix";
        MixTaskSpec spec = MediaTools.spec(List.of(input("red", "synthetic:color?color=#FF0000&size=160x120&fps=15", 0, 0, 160, 120, 0)),
                List.of(canvas, kept));
        spec.background = new Background("#0000FF", null);
        MixEngine engine = EngineRun.start(MediaTools.copy(spec), dir);
        double changedAt;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.report().outputs().stream()
                    .allMatch(o -> WorkerReport.Output.LIVE.equals(o.state())));
            Thread.sleep(1000);
            changedAt = step(engine, spec, s -> {
                s.outputs.get(0).video.width = 640;
                s.outputs.get(0).video.height = 480;
            })[0];
            assertThat(engine.report().lastUpdate().message()).isEqualTo("live; outputs restarted: canvas");
            assertThat(receiver.isAlive()).isTrue();
            engine.close();
            assertThat(receiver.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            engine.close();
            receiver.destroy();
        }
        var video = MediaTools.stream(MediaTools.probe(canvasFile), "video");
        assertThat(video.get("width").asInt()).isEqualTo(640);
        RecordedStream stream = RecordedStream.of(recorded);
        assertThat(stream.monotonic()).isTrue();
        assertThat(stream.longestGap()).isLessThanOrEqualTo(2.0 / FPS + 1e-3);
        // The kept output shows the 640x480 canvas scaled to its 320x240: the 160x120 red rect is now a quarter of it.
        Picture before = MediaTools.frameAt(recorded, changedAt - 0.5, 320, 240);
        Picture after = MediaTools.frameAt(recorded, changedAt + 0.5, 320, 240);
        colour(before, 120, 90, 0xFF0000, "before: the rect covers half the width");
        colour(after, 40, 30, 0xFF0000, "after: the rect, scaled down with the canvas");
        colour(after, 120, 90, 0x0000FF, "after: the rest of the bigger canvas is background");
    }

    /** Applies a copy of {@code spec} edited by {@code edit}; returns the mix time it was applied at. */
    private double[] step(MixEngine engine, MixTaskSpec spec, Consumer<MixTaskSpec> edit) throws Exception {
        edit.accept(spec);
        assertThat(engine.apply(new SpecSubmission(++generation, MediaTools.copy(spec)))).isEmpty();
        double t = engine.mixSeconds();
        Thread.sleep(1000);
        return new double[]{t};
    }


    private Process receiver(int port, Path recorded) throws Exception {
        Process p = MediaTools.start(dir.resolve("receiver-" + port + ".log"), "-loglevel", "error", "-listen", "1",
                "-i", "rtmp://127.0.0.1:" + port + "/live/mix", "-c", "copy", "-copyts", "-y", recorded.toString());
        Thread.sleep(500);
        return p;
    }

    /** Two seconds of full-frame noise: the encoder always wants more than its bitrate, so the rate shows. */
    private Path noiseFile() throws Exception {
        Path p = dir.resolve("noise.mkv");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15,noise=alls=80:allf=t", "-t", "2",
                "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", p.toString());
        return p;
    }

    private static Picture frame(Path recorded, double[] appliedAt) throws Exception {
        return MediaTools.frameAt(recorded, appliedAt[0] + 0.3, 320, 240);
    }

    private static void colour(Picture p, int x, int y, int rgb, String what) {
        assertThat(p.is(x, y, rgb, TOL)).as(what + ": expected #%06X, got %s", rgb, p.describe(x, y)).isTrue();
    }
}
