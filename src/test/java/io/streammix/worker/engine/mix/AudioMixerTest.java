package io.streammix.worker.engine.mix;

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.MediaTools;
import io.streammix.worker.engine.scene.MixPlan;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;

/** The mixer's arithmetic on known samples: volume, clipping, sound level, sample-time alignment. */
class AudioMixerTest {

    private static MixPlan plan(int volA, int volB) {
        var a = input("a", "synthetic:sine", 0, 0, 1, 1, 0);
        a.volume = volA;
        var b = input("b", "synthetic:sine", 0, 0, 1, 1, 0);
        b.volume = volB;
        MixOutput audioOnly = MediaTools.fileOutput("o", Path.of("x.m4a"), 1, 1, 1);
        MixTaskSpec spec = MediaTools.spec(List.of(a, b), List.of(audioOnly));
        return MixPlan.of(spec, null);
    }

    private static Map<String, InputSlot> slots(short valueA, short valueB, int frames) {
        Map<String, InputSlot> m = new LinkedHashMap<>();
        for (String n : List.of("a", "b")) {
            InputSlot s = new InputSlot(n);
            s.live();
            short[] buf = new short[frames * 2];
            Arrays.fill(buf, n.equals("a") ? valueA : valueB);
            s.audio.write(0, buf, frames);
            m.put(n, s);
        }
        return m;
    }

    @Test
    void loudSumsClipAtFullScaleInsteadOfWrapping() {
        short[] out = new AudioMixer().mix(plan(200, 200), slots((short) 30000, (short) 30000, 1024), 0, 1024);
        assertThat(out[0]).isEqualTo(Short.MAX_VALUE);
        short[] neg = new AudioMixer().mix(plan(200, 200), slots((short) -30000, (short) -30000, 1024), 0, 1024);
        assertThat(neg[0]).isEqualTo(Short.MIN_VALUE);
    }

    @Test
    void volumesScaleEachInput() {
        short[] out = new AudioMixer().mix(plan(50, 0), slots((short) 1000, (short) 8000, 1024), 0, 1024);
        assertThat(out[0]).isEqualTo((short) 500);
    }

    @Test
    void samplesAreMixedAtTheirTime() {
        Map<String, InputSlot> s = slots((short) 0, (short) 0, 1);
        short[] buf = new short[200];
        Arrays.fill(buf, (short) 1000);
        s.get("a").audio.write(5000, buf, 100);
        AudioMixer mixer = new AudioMixer();
        short[] first = mixer.mix(plan(100, 100), s, 4096, 1024);
        assertThat(first[(5000 - 4096) * 2]).isEqualTo((short) 1000);
        assertThat(first[(4999 - 4096) * 2]).isZero();
        assertThat(first[(5100 - 4096) * 2]).isZero();
    }

    @Test
    void soundLevelScale() {
        assertThat(AudioMixer.level(0)).isZero();
        assertThat(AudioMixer.level(32768)).isEqualTo(100);
        assertThat(AudioMixer.level(32768 / 1000.0)).isEqualTo(0); // -60 dBFS
        assertThat(AudioMixer.level(32768 / 31.62)).isEqualTo(50); // -30 dBFS
    }
}
