package io.streammix.worker.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Recording;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerProcess;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.MixEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Recordings as files on disk: what a SIGKILL leaves, and rotation by duration and by size. */
class RecordingMediaTest {
    static final int FPS = 15;
    static final int KILL_FPS = 25;

    @TempDir
    Path dir;

    static MixTaskSpec spec(MixOutput out) {
        return MediaTools.spec(List.of(input("cam", "synthetic:testsrc?size=320x240&fps=15&tone=440", 0, 0, 320, 240, 0)),
                List.of(out));
    }

    /** Video frames a decoder gets out of the file (decoding every one: a broken file fails here). */
    static long decodedFrames(Path file) throws Exception {
        String out = new String(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()), StandardCharsets.UTF_8).trim();
        return Long.parseLong(out);
    }

    @Test
    void aRecordingKilledWithSigkillIsPlayableAndLosesAboutASecond() throws Exception {
        Path out = dir.resolve("rec").resolve("killed.mp4");
        // 25 fps: x264's lookahead (frames the encoder holds, which no muxer setting can save) is then ~0.5 s.
        MixTaskSpec spec = MediaTools.spec(List.of(input("cam", "synthetic:testsrc?size=320x240&fps=25&tone=440", 0, 0, 320, 240, 0)),
                List.of(MediaTools.fileOutput("rec", out, 320, 240, KILL_FPS)));
        WorkerProcess run = WorkerProcess.start(dir, new SpecSubmission(1, spec), "t", dir.resolve("worker.log"));
        Process worker = run.process();
        long framesAtKill;
        try {
            await().atMost(Duration.ofSeconds(40)).ignoreExceptions()
                    .until(() -> run.status().get("outputs").get(0).get("frames").asLong() >= 5 * KILL_FPS);
            JsonNode s = run.status();
            framesAtKill = s.get("outputs").get(0).get("frames").asLong();
            assertThat(s.get("outputs").get(0).get("files").get(0).asText()).isEqualTo(out.toString());
        } finally {
            worker.destroyForcibly(); // SIGKILL: no trailer, no flush
            assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(worker.exitValue()).isEqualTo(137);
        JsonNode probe = MediaTools.probe(out);
        assertThat(MediaTools.stream(probe, "video").get("codec_name").asText()).isEqualTo("h264");
        assertThat(MediaTools.stream(probe, "audio").get("codec_name").asText()).isEqualTo("aac");
        long decoded = decodedFrames(out);
        double lostSeconds = (framesAtKill - decoded) / (double) KILL_FPS;
        System.out.printf("SIGKILL: %d frames handed to the encoder, %d decodable in the file: %.2f s lost "
                + "(x264 lookahead + the fragment being written)%n", framesAtKill, decoded, lostSeconds);
        // About a second: the open fragment (<= 0.5 s) plus x264's lookahead (~0.5 s at 25 fps, more when the CPU is
        // starved), which never reached the muxer.
        assertThat(lostSeconds).isLessThan(1.5);
        assertThat(probe.get("format").get("duration").asDouble()).isGreaterThan(framesAtKill / (double) KILL_FPS - 1.5);
        assertThat(MediaTools.frameAt(out, decoded / (double) KILL_FPS - 0.2, 320, 240).rgb()).isNotEmpty();
    }

    @Test
    void rotationByDurationGivesSeveralPlayableFilesCoveringTheRunAndListsThem() throws Exception {
        rotatesEveryTwoSeconds(null);
    }

    /** With a size limit too, the worker decides the cuts (ByteRotation), the period included. */
    @Test
    void withASizeLimitFarOffRotationByDurationStillCutsEveryPeriod() throws Exception {
        rotatesEveryTwoSeconds(1L << 40);
    }

    private void rotatesEveryTwoSeconds(Long rotateAfterBytes) throws Exception {
        EngineRun.prepare();
        MixOutput out = MediaTools.fileOutput("rec", dir.resolve("rot.mp4"), 320, 240, FPS);
        out.recording = new Recording();
        out.recording.rotateAfterSeconds = 2;
        out.recording.rotateAfterBytes = rotateAfterBytes;
        MixEngine engine = EngineRun.start(spec(out), dir);
        await().atMost(Duration.ofSeconds(20)).until(() -> engine.report().outputs().get(0).files().size() >= 3);
        // While running, the finished files and the open one are listed.
        assertThat(engine.report().outputs().get(0).files()).allMatch(f -> Files.exists(Path.of(f)));
        Thread.sleep(1500);
        WorkerReport.Output rep = engine.report().outputs().get(0);
        engine.close();

        List<Path> listedWhileRunning = rep.files().stream().map(Path::of).toList();
        assertThat(listedWhileRunning).hasSizeGreaterThanOrEqualTo(3);
        List<Path> files;
        try (var all = Files.list(dir)) {
            files = all.filter(p -> p.getFileName().toString().startsWith("rot-")).sorted().toList();
        }
        assertThat(files).startsWith(listedWhileRunning.toArray(Path[]::new));
        assertThat(files).allSatisfy(f -> assertThat(f.getFileName().toString()).matches("rot-\\d{8}-\\d{6}-\\d{4}\\.mp4"));
        assertThat(files).isSorted();
        long total = 0;
        for (Path f : files) {
            JsonNode probe = MediaTools.probe(f);
            assertThat(MediaTools.stream(probe, "video").get("width").asInt()).isEqualTo(320);
            long frames = decodedFrames(f);
            assertThat(frames).as("frames in " + f.getFileName()).isPositive();
            if (!f.equals(files.get(files.size() - 1))) {
                // Every file but the last spans a period (2 s, cut at a keyframe); the last ends where the stop fell,
                // which may be a frame after a cut (the encoder holds no frames back: tune=zerolatency).
                double d = probe.get("format").get("duration").asDouble();
                assertThat(d).as("duration of " + f.getFileName()).isBetween(1.5, 4.5);
            }
            assertThat(MediaTools.stream(probe, "video").path("start_time").asDouble()).as("each file starts at 0").isLessThan(0.2);
            total += frames;
        }
        // Together they hold every frame encoded (the stop flushes the encoder): the cuts lose nothing.
        System.out.printf("rotation: %d files, %d frames in all; %d frames encoded just before the stop%n", files.size(), total,
                rep.frames());
        assertThat(total).isBetween(rep.frames(), rep.frames() + FPS);
    }

    /** The first video frame's picture type (I for a keyframe): what a player gets when it opens the file. */
    static String firstPictureType(Path file) throws Exception {
        String out = new String(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-select_streams", "v:0", "-read_intervals",
                "%+#1", "-show_entries", "frame=pict_type,key_frame", "-of", "csv=p=0", file.toString()), StandardCharsets.UTF_8).trim();
        return out.lines().findFirst().orElse("");
    }

    @Test
    void rotationBySizeEndsEachFileAtTheFirstKeyframeAfterTheLimit() throws Exception {
        EngineRun.prepare();
        // The schema's minimum, 256 KiB, filled in about 2.5 s: the test pattern at 640x360, 30 fps and near-lossless
        // quality (CRF 1) comes to about 0.85 Mbit/s. So the limit falls inside the second keyframe interval and
        // each file should end at the 4 s keyframe: a cut at every keyframe (2 s, under the limit) fails, and so does none.
        MixOutput out = MediaTools.fileOutput("rec", dir.resolve("big.mp4"), 640, 360, 30);
        out.video.bitrate = 10_000_000;
        out.video.rateControl = io.streammix.api.v1alpha1.RateControl.CRF;
        out.video.quality = 1;
        out.recording = new Recording();
        out.recording.rotateAfterBytes = 256L << 10;
        MixTaskSpec spec = MediaTools.spec(List.of(input("cam", "synthetic:testsrc?size=640x360&fps=30&tone=440", 0, 0, 640, 360, 0)),
                List.of(out));
        MixEngine engine = EngineRun.start(spec, dir);
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.report().outputs().get(0).files().size() >= 3);
        WorkerReport.Output rep = engine.report().outputs().get(0);
        engine.close();

        List<Path> listed = rep.files().stream().map(Path::of).toList();
        List<Path> files;
        try (var all = Files.list(dir)) {
            files = all.filter(p -> p.getFileName().toString().startsWith("big-")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3).startsWith(listed.toArray(Path[]::new));
        assertThat(files).allSatisfy(f -> assertThat(f.getFileName().toString()).matches("big-\\d{8}-\\d{6}-\\d{4}\\.mp4"));
        long limit = out.recording.rotateAfterBytes;
        long total = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            JsonNode probe = MediaTools.probe(f);
            long size = Files.size(f);
            double d = probe.get("format").get("duration").asDouble();
            long frames = decodedFrames(f);
            System.out.printf("size rotation: %s %d bytes, %.2f s, %d frames, first picture %s%n", f.getFileName(), size, d, frames,
                    firstPictureType(f));
            assertThat(firstPictureType(f)).as("%s starts with a keyframe", f.getFileName()).startsWith("1,I");
            assertThat(MediaTools.stream(probe, "video").get("start_time").asDouble()).as("each file starts at 0").isLessThan(0.2);
            if (i < files.size() - 1) {
                // Cut at the first keyframe once the limit is reached: at least the limit, and past it by at most
                // one keyframe interval (2 s) plus the bytes not yet on disk when the size was read.
                assertThat(size).as("size of %s", f.getFileName()).isGreaterThanOrEqualTo(limit * 95 / 100);
                double secondsPastLimit = (size - limit) / (size / d);
                assertThat(secondsPastLimit).as("media past the limit in %s", f.getFileName()).isLessThan(2.6);
            }
            total += frames;
        }
        System.out.printf("size rotation: %d files, %d frames in all; %d frames encoded just before the stop%n", files.size(), total,
                rep.frames());
        // Together they hold every frame encoded: the cuts lose nothing.
        assertThat(total).isBetween(rep.frames(), rep.frames() + 30);
    }
}
