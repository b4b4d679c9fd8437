package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.RateControl;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every output-restart field of the model, changed in turn on one output of a running mix: that output alone is
 * reopened (the worker says so), its new file shows the new parameter where a probe can see it, and the other
 * output's frame counter never starts again (it is never reopened).
 */
class OutputRestartFieldsMediaTest {

    @TempDir
    Path dir;

    private long generation = 1;

    @Test
    void eachOutputRestartFieldReopensOnlyItsOwnOutput() throws Exception {
        Path otherFile = dir.resolve("other.mp4");
        MixOutput kept = MediaTools.fileOutput("kept", dir.resolve("kept.mkv"), 320, 240, 15);
        MixOutput other = MediaTools.fileOutput("other", otherFile, 160, 120, 15);
        other.video.bitrate = 400_000;
        MixTaskSpec spec = MediaTools.spec(List.of(MediaTools.input("cam", "synthetic:testsrc?size=320x240&fps=15&tone=440",
                0, 0, 320, 240, 0)), List.of(kept, other));
        EngineRun.prepare();
        MixEngine engine = MixEngine.start(new SpecSubmission(generation, MediaTools.copy(spec)), new MixEngine.Config(dir, null));
        long[] keptFrames = {0};
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.report().outputs().stream()
                    .allMatch(o -> WorkerReport.Output.LIVE.equals(o.state()) && o.frames() != null && o.frames() > 5));

            step(engine, spec, keptFrames, "size", s -> {
                s.outputs.get(1).video.width = 240;
                s.outputs.get(1).video.height = 180;
            }, otherFile, p -> video(p).get("width").asInt() == 240 && video(p).get("height").asInt() == 180);
            step(engine, spec, keptFrames, "fps", s -> s.outputs.get(1).video.fps = 10,
                    otherFile, p -> video(p).get("r_frame_rate").asText().equals("10/1"));
            step(engine, spec, keptFrames, "codec", s -> s.outputs.get(1).video.codec = VideoCodec.H265,
                    otherFile, p -> video(p).get("codec_name").asText().equals("hevc"));
            step(engine, spec, keptFrames, "H.265 bitrate (x265 cannot reconfigure)", s -> s.outputs.get(1).video.bitrate = 300_000,
                    otherFile, p -> video(p).get("codec_name").asText().equals("hevc"));
            step(engine, spec, keptFrames, "rate control", s -> {
                s.outputs.get(1).video.codec = VideoCodec.H264;
                s.outputs.get(1).video.rateControl = RateControl.CRF;
                s.outputs.get(1).video.quality = 30;
            }, otherFile, p -> video(p).get("codec_name").asText().equals("h264"));
            step(engine, spec, keptFrames, "quality", s -> s.outputs.get(1).video.quality = 35, otherFile, p -> true);
            step(engine, spec, keptFrames, "audio codec", s -> s.outputs.get(1).audio.codec = AudioCodec.MP3,
                    otherFile, p -> audio(p).get("codec_name").asText().equals("mp3"));
            step(engine, spec, keptFrames, "audio channels", s -> s.outputs.get(1).audio.channels = 1,
                    otherFile, p -> audio(p).get("channels").asInt() == 1);
            step(engine, spec, keptFrames, "audio bitrate", s -> s.outputs.get(1).audio.bitrate = 64_000, otherFile, p -> true);

            assertThat(engine.report().outputs().get(0).state()).isEqualTo(WorkerReport.Output.LIVE);
        } finally {
            engine.close();
        }
        var keptProbe = MediaTools.probe(dir.resolve("kept.mkv"));
        assertThat(MediaTools.stream(keptProbe, "video").get("width").asInt()).as("the kept output kept its size").isEqualTo(320);
        assertThat(keptProbe.at("/format/duration").asDouble()).as("one file across every change").isGreaterThan(8.0);
    }

    private void step(MixEngine engine, MixTaskSpec spec, long[] keptFrames, String field, Consumer<MixTaskSpec> edit,
                      Path otherFile, Predicate<JsonNode> shows) throws Exception {
        edit.accept(spec);
        assertThat(engine.apply(new SpecSubmission(++generation, MediaTools.copy(spec)))).as(field).isEmpty();
        assertThat(engine.report().lastUpdate().message()).as(field).isEqualTo("live; outputs restarted: other");
        await(field).atMost(Duration.ofSeconds(10)).until(() -> {
            WorkerReport.Output o = engine.report().outputs().get(1);
            return WorkerReport.Output.LIVE.equals(o.state()) && o.frames() != null && o.frames() >= 8;
        });
        // The reopened output's file (fragmented MP4, read while it is written) shows the new parameter.
        await(field + " shows in the reopened output").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> shows.test(MediaTools.probe(otherFile)));
        long now = engine.report().outputs().get(0).frames();
        assertThat(now).as(field + ": the other output was not reopened (its frame counter goes on)").isGreaterThan(keptFrames[0]);
        keptFrames[0] = now;
    }

    private static JsonNode video(JsonNode probe) {
        return MediaTools.stream(probe, "video");
    }

    private static JsonNode audio(JsonNode probe) {
        return MediaTools.stream(probe, "audio");
    }

}
