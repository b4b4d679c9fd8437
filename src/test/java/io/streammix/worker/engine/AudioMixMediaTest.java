package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.Content;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;

/** Mixes tones, decodes the output's audio and looks for each tone in it (Goertzel). */
class AudioMixMediaTest {
    @TempDir
    Path dir;

    @Test
    void tonesMixedVideoOnlyAndMutedInputsAbsent() throws Exception {
        MixInput a = input("a440", "synthetic:testsrc?size=320x180&fps=15&tone=440", 0, 0, 160, 180, 0);
        MixInput b = input("b880", "synthetic:color?color=#FF0000&size=320x180&fps=15&tone=880", 160, 0, 320, 180, 0);
        MixInput c = input("c1320", "synthetic:color?color=#00FF00&size=160x90&fps=15&tone=1320", 0, 0, 80, 40, 1);
        c.content = Content.VideoOnly;
        MixInput d = input("d660", "synthetic:sine?frequency=660", 0, 0, 1, 1, 0);
        d.content = Content.AudioOnly;
        d.volume = 0;
        Path out = dir.resolve("audio.mp4");
        MixTaskSpec spec = MediaTools.spec(List.of(a, b, c, d), List.of(MediaTools.fileOutput("main", out, 320, 180, 15)));

        var engine = EngineRun.start(spec, dir);
        Thread.sleep(2500);
        Map<String, Integer> levels = engine.soundLevels();
        engine.close();

        short[] pcm = MediaTools.pcm(out, 1.0, 1.5);
        assertThat(pcm.length).as("1.5 s of decoded audio").isGreaterThan(48000);
        double t440 = MediaTools.tone(pcm, 440);
        double t880 = MediaTools.tone(pcm, 880);
        double t1320 = MediaTools.tone(pcm, 1320);
        double t660 = MediaTools.tone(pcm, 660);
        double off = MediaTools.tone(pcm, 1000);
        String figures = String.format("440=%.4f 880=%.4f 1320=%.4f 660=%.4f 1000=%.4f", t440, t880, t1320, t660, off);
        // lavfi sine has amplitude 1/8; AAC keeps it within a few percent.
        assertThat(t440).as("440 Hz present: " + figures).isGreaterThan(0.08);
        assertThat(t880).as("880 Hz present: " + figures).isGreaterThan(0.08);
        assertThat(t1320).as("VideoOnly input's 1320 Hz absent: " + figures).isLessThan(t440 / 50);
        assertThat(t660).as("volume 0 input's 660 Hz absent: " + figures).isLessThan(t440 / 50);
        assertThat(levels.get("a440")).as("sound level of a live tone").isBetween(40, 90);
        assertThat(levels.get("d660")).as("sound level at volume 0").isZero();
        assertThat(levels.get("c1320")).as("sound level of a VideoOnly input").isZero();
    }

    @Test
    void volumeScalesEachInput() throws Exception {
        // Two 440 Hz tones at 200 %: 4 x 1/8 = 0.5 of full scale, in phase, no clipping yet.
        MixInput a = input("a", "synthetic:sine?frequency=440", 0, 0, 1, 1, 0);
        a.volume = 200;
        MixInput b = input("b", "synthetic:sine?frequency=440", 0, 0, 1, 1, 0);
        b.volume = 50;
        Path out = dir.resolve("vol.mp4");
        MixTaskSpec spec = MediaTools.spec(List.of(a, b), List.of(MediaTools.fileOutput("main", out, 64, 64, 10)));
        EngineRun.runFor(spec, dir, 2.5);
        short[] pcm = MediaTools.pcm(out, 1.0, 1.0);
        double t440 = MediaTools.tone(pcm, 440);
        // 2 x 1/8 + 0.5 x 1/8 = 0.3125 when both are in phase; less when their phases differ, never above.
        assertThat(t440).isGreaterThan(0.12).isLessThan(0.33);
    }
}
