package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.ExtraParam;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.engine.sei.SeiMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;

/** userData and sound levels written as SEI into real H.264/H.265 outputs, read back by decoding them. */
class SeiMediaTest {
    private static final int FPS = 15;
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private MixTaskSpec spec(Path out, VideoCodec codec, String userData) {
        MixInput a = input("a", "synthetic:testsrc?size=320x180&fps=15&tone=440", 0, 0, 320, 180, 0);
        MixOutput o = MediaTools.fileOutput("main", out, 320, 180, FPS);
        o.video.codec = codec;
        MixTaskSpec s = MediaTools.spec(List.of(a), List.of(o));
        s.userData = userData;
        return s;
    }

    @ParameterizedTest
    @EnumSource(VideoCodec.class)
    void userDataOnEveryKeyframeAndOnTheFirstFrameAfterAChange(VideoCodec codec) throws Exception {
        Path out = dir.resolve("ud-" + codec + ".mp4");
        String first = "{\"room\":\"été ✓\",\"n\":1}";
        var engine = EngineRun.start(spec(out, codec, first), dir);
        Thread.sleep(2300);
        assertThat(engine.apply(new SpecSubmission(2, spec(out, codec, "second")))).isEmpty();
        Thread.sleep(2500);
        engine.close();

        List<SeiReader.Frame> frames = SeiReader.read(out);
        assertThat(frames.size()).as("frames decoded").isGreaterThan(3 * FPS);
        List<Integer> keys = new ArrayList<>();
        List<Integer> carrying = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).key()) {
                keys.add(i);
            }
            if (frames.get(i).text(SeiMessages.USER_DATA) != null) {
                carrying.add(i);
            }
        }
        // Keyframes exactly on the cadence: frame 0 and every 2 s (the encoder added none of its own).
        List<Integer> cadence = new ArrayList<>();
        for (int i = 0; i < frames.size(); i += 2 * FPS) {
            cadence.add(i);
        }
        assertThat(keys).as("keyframes").isEqualTo(cadence);
        assertThat(frames.get(0).text(SeiMessages.USER_DATA)).isEqualTo(first);
        assertThat(frames.get(frames.size() - 1).key()).isFalse();
        // Every keyframe carries the userData of its time; besides keyframes, only the first frame with the new value.
        String previous = null;
        List<Integer> changes = new ArrayList<>();
        for (int i : carrying) {
            String t = frames.get(i).text(SeiMessages.USER_DATA);
            assertThat(t).isIn(first, "second");
            if (!t.equals(previous)) {
                changes.add(i);
            }
            previous = t;
        }
        assertThat(previous).as("the last userData carried").isEqualTo("second");
        assertThat(changes).as("frames where userData changes").hasSize(2);
        List<Integer> expected = new ArrayList<>(keys);
        if (!expected.contains(changes.get(1))) {
            expected.add(changes.get(1));
        }
        expected.sort(null);
        assertThat(carrying).as("frames carrying userData").isEqualTo(expected);
        // The change arrives within about a second of its apply (2.3 s).
        assertThat(frames.get(changes.get(1)).time()).isBetween(1.5, 3.5);
    }

    @Test
    void everyFrameFromExtraParamsSeiModeOne() throws Exception {
        Path out = dir.resolve("every.mp4");
        MixTaskSpec s = spec(out, VideoCodec.H265, "every");
        s.extraParams = List.of(new ExtraParam("sei_mode", "1"));
        EngineRun.runFor(s, dir, 2.5);

        List<SeiReader.Frame> frames = SeiReader.read(out);
        assertThat(frames.size()).isGreaterThan(FPS);
        assertThat(frames).as("every frame carries userData")
                .allSatisfy(f -> assertThat(f.text(SeiMessages.USER_DATA)).isEqualTo("every"));
        assertThat(frames).as("no sound levels when soundLevel is off").allSatisfy(f -> assertThat(f.sei()).doesNotContainKey(SeiMessages.SOUND_LEVELS));
    }

    @Test
    void soundLevelsFollowTheLoudInput() throws Exception {
        Path out = dir.resolve("levels.mp4");
        var engine = EngineRun.start(levelSpec(out, 100, 0), dir);
        Thread.sleep(2500);
        assertThat(engine.apply(new SpecSubmission(2, levelSpec(out, 0, 100)))).isEmpty();
        Thread.sleep(2500);
        engine.close();

        List<SeiReader.Frame> frames = SeiReader.read(out);
        List<double[]> levels = new ArrayList<>(); // time, level of id 7, level of id 9
        for (SeiReader.Frame f : frames) {
            String json = f.text(SeiMessages.SOUND_LEVELS);
            if (json != null) {
                JsonNode l = JSON.readTree(json.getBytes(StandardCharsets.UTF_8)).get("levels");
                assertThat(l.size()).as(json).isEqualTo(2);
                levels.add(new double[]{f.time(), l.get("7").asInt(), l.get("9").asInt()});
            }
        }
        double span = frames.get(frames.size() - 1).time() - frames.get(0).time() + 1.0 / FPS;
        assertThat(levels.size() / span).as("sound-level SEI per second").isBetween(9.0, 11.0);
        assertThat(frames).as("no userData SEI without userData").allSatisfy(f -> assertThat(f.sei()).doesNotContainKey(SeiMessages.USER_DATA));
        for (double[] l : levels) {
            if (l[0] > 1.0 && l[0] < 2.0) {
                assertThat(l[1]).as("input 7 loud at %.2f s", l[0]).isGreaterThan(40);
                assertThat(l[2]).as("input 9 silent at %.2f s", l[0]).isZero();
            }
            if (l[0] > frames.get(frames.size() - 1).time() - 1.0) {
                assertThat(l[1]).as("input 7 silent at %.2f s", l[0]).isZero();
                assertThat(l[2]).as("input 9 loud at %.2f s", l[0]).isGreaterThan(40);
            }
        }
    }

    private MixTaskSpec levelSpec(Path out, int volumeA, int volumeB) {
        return levelSpec(MediaTools.fileOutput("main", out, 160, 90, FPS), volumeA, volumeB);
    }

    /** Two tones with sound-level ids 7 (440 Hz) and 9 (880 Hz) at the given volumes, soundLevel on, into {@code output}. */
    static MixTaskSpec levelSpec(MixOutput output, int volumeA, int volumeB) {
        MixInput a = input("a", "synthetic:sine?frequency=440", 0, 0, 1, 1, 0);
        a.soundLevelId = 7L;
        a.volume = volumeA;
        MixInput b = input("b", "synthetic:sine?frequency=880", 0, 0, 1, 1, 0);
        b.soundLevelId = 9L;
        b.volume = volumeB;
        MixTaskSpec s = MediaTools.spec(List.of(a, b), List.of(output));
        s.soundLevel = true;
        return s;
    }
}
