package io.streammix.worker.engine.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.MixEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Outputs that encode the mixed audio the same way share one audio encoder (a ladder's rungs), each still with its
 * whole audio on its own timeline: the tone of the input, packets one AAC frame apart, as long as its video; an
 * output with another audio bitrate has its own; an output reopened mid-mix joins the running encoder and keeps audio.
 */
class SharedAudioEncodeMediaTest {
    private static final String TONE = "synthetic:color?color=#FF0000&size=320x180&fps=15&tone=440";

    @TempDir
    Path dir;

    @Test
    void threeOutputsWithTheSameAudioOpenOneEncoderAndEachHasTheWholeTone() throws Exception {
        List<Path> files = List.of(dir.resolve("a.mp4"), dir.resolve("b.mp4"), dir.resolve("c.mkv"));
        List<MixOutput> outs = List.of(MediaTools.fileOutput("a", files.get(0), 320, 180, 15),
                MediaTools.fileOutput("b", files.get(1), 160, 90, 15), MediaTools.fileOutput("c", files.get(2), 240, 136, 15));
        int before = SharedAudioEncode.OPENED.get();
        EngineRun.runFor(MediaTools.spec(List.of(input("tone", TONE, 0, 0, 320, 180, 0)), outs), dir, 3.5);

        assertThat(SharedAudioEncode.OPENED.get() - before).as("audio encoders opened for three outputs with AAC 128k stereo").isEqualTo(1);
        for (Path f : files) {
            assertWholeTone(f);
        }
    }

    @Test
    void anOutputWithAnotherAudioBitrateHasItsOwnEncoder() throws Exception {
        MixOutput a = MediaTools.fileOutput("a", dir.resolve("a.mp4"), 320, 180, 15);
        MixOutput b = MediaTools.fileOutput("b", dir.resolve("b.mp4"), 160, 90, 15);
        MixOutput c = MediaTools.fileOutput("c", dir.resolve("c.mp4"), 160, 90, 15);
        c.audio.bitrate = 96_000;
        int before = SharedAudioEncode.OPENED.get();
        EngineRun.runFor(MediaTools.spec(List.of(input("tone", TONE, 0, 0, 320, 180, 0)), List.of(a, b, c)), dir, 2.5);

        assertThat(SharedAudioEncode.OPENED.get() - before).as("a and b share one, c has its own").isEqualTo(2);
        assertThat(MediaTools.stream(MediaTools.probe(dir.resolve("c.mp4")), "audio").get("bit_rate").asLong()).isBetween(80_000L, 112_000L);
        assertWholeTone(dir.resolve("c.mp4"));
    }

    @Test
    void anOutputReopenedMidMixJoinsTheRunningEncoderAndKeepsItsAudio() throws Exception {
        Path kept = dir.resolve("kept.mkv");
        Path reopened = dir.resolve("reopened.mp4");
        MixTaskSpec spec = MediaTools.spec(List.of(input("tone", TONE, 0, 0, 320, 180, 0)),
                List.of(MediaTools.fileOutput("kept", kept, 320, 180, 15), MediaTools.fileOutput("reopened", reopened, 160, 90, 15)));
        EngineRun.prepare();
        int before = SharedAudioEncode.OPENED.get();
        MixEngine engine = MixEngine.start(new SpecSubmission(1, MediaTools.copy(spec)), new MixEngine.Config(dir, null));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.report().outputs().stream()
                    .allMatch(o -> WorkerReport.Output.LIVE.equals(o.state()) && o.frames() != null && o.frames() > 15));
            spec.outputs.get(1).video.width = 240;
            spec.outputs.get(1).video.height = 136;
            assertThat(engine.apply(new SpecSubmission(2, MediaTools.copy(spec)))).isEmpty();
            assertThat(engine.report().lastUpdate().message()).isEqualTo("live; outputs restarted: reopened");
            Thread.sleep(3000);
        } finally {
            engine.close();
        }
        assertThat(SharedAudioEncode.OPENED.get() - before).as("the reopened output joined the running encoder").isEqualTo(1);
        assertThat(MediaTools.stream(MediaTools.probe(reopened), "video").get("width").asInt()).isEqualTo(240);
        assertWholeTone(reopened);
        assertWholeTone(kept);
    }

    /** The tone is there, the audio packets follow each other one AAC frame apart, and the audio lasts as long as the video. */
    private static void assertWholeTone(Path f) throws Exception {
        short[] pcm = MediaTools.pcm(f, 0.5, 1.0);
        assertThat(pcm.length).as(f + ": 1 s of decoded audio").isGreaterThan(40_000);
        assertThat(MediaTools.tone(pcm, 440)).as(f + ": 440 Hz").isGreaterThan(0.08);
        List<Long> pts = audioPts(f);
        assertThat(pts.size()).as(f + ": audio packets").isGreaterThan(50);
        for (int i = 1; i < pts.size(); i++) {
            assertThat(pts.get(i) - pts.get(i - 1)).as(f + ": pts step at packet " + i + " of " + pts)
                    .isCloseTo(1024L, within(48L)); // Matroska's milliseconds round a frame to 21 or 22 ms
        }
        JsonNode p = MediaTools.probe(f);
        double video = duration(f, "v");
        double audio = duration(f, "a");
        assertThat(Math.abs(audio - video)).as(f + ": audio " + audio + " s, video " + video + " s; " + p.get("format")).isLessThan(0.25);
    }

    /** Audio packet pts in samples (48 kHz), in decoding order. */
    private static List<Long> audioPts(Path f) throws Exception {
        String csv = new String(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-select_streams", "a:0", "-show_entries",
                "packet=pts_time", "-of", "csv=p=0", f.toString()), StandardCharsets.UTF_8);
        List<Long> l = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (!line.isBlank() && !line.trim().equals("N/A")) {
                l.add(Math.round(Double.parseDouble(line.trim().replace(",", "")) * 48000));
            }
        }
        return l;
    }

    /** From the first packet's pts to the end of the last one, of the first stream of this type ("v" or "a"). */
    private static double duration(Path f, String type) throws Exception {
        String csv = new String(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-select_streams", type + ":0", "-show_entries",
                "packet=pts_time,duration_time", "-of", "csv=p=0", f.toString()), StandardCharsets.UTF_8);
        double first = Double.NaN;
        double end = 0;
        for (String line : csv.split("\n")) {
            String[] c = line.trim().split(",");
            if (c.length < 2 || c[0].equals("N/A")) {
                continue;
            }
            double pts = Double.parseDouble(c[0]);
            double d = c[1].equals("N/A") ? 0 : Double.parseDouble(c[1]);
            first = Double.isNaN(first) ? pts : Math.min(first, pts);
            end = Math.max(end, pts + d);
        }
        return end - first;
    }
}
