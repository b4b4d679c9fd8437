package io.streammix.worker.engine.update;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.ExtraParam;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.RateControl;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.streammix.worker.engine.update.OutputChanges.Action.ADD;
import static io.streammix.worker.engine.update.OutputChanges.Action.KEEP;
import static io.streammix.worker.engine.update.OutputChanges.Action.NEW_BITRATE;
import static io.streammix.worker.engine.update.OutputChanges.Action.RESTART;
import static org.assertj.core.api.Assertions.assertThat;

/** Which running outputs a new spec keeps, reconfigures or reopens. */
class OutputChangesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MixTaskSpec spec() {
        return MediaTools.spec(List.of(MediaTools.input("cam", "synthetic:testsrc", 0, 0, 640, 360, 0)),
                List.of(MediaTools.fileOutput("a", Path.of("a.mp4"), 640, 360, 15), MediaTools.fileOutput("b", Path.of("b.mp4"), 320, 180, 15)));
    }

    private static MixTaskSpec edited(MixTaskSpec s, Consumer<MixTaskSpec> edit) throws Exception {
        MixTaskSpec copy = JSON.readValue(JSON.writeValueAsBytes(s), MixTaskSpec.class);
        edit.accept(copy);
        return copy;
    }

    private static List<OutputChanges.Action> actions(OutputChanges.Plan p) {
        return p.steps().stream().map(OutputChanges.Step::action).toList();
    }

    @Test
    void firstSpecAddsEveryOutput() {
        OutputChanges.Plan p = OutputChanges.between(null, spec());
        assertThat(actions(p)).containsExactly(ADD, ADD);
        assertThat(p.removed()).isEmpty();
    }

    @Test
    void liveEditsKeepEveryOutput() throws Exception {
        MixTaskSpec before = spec();
        OutputChanges.Plan p = OutputChanges.between(before, edited(before, s -> s.inputs.get(0).volume = 10));
        assertThat(actions(p)).containsExactly(KEEP, KEEP);
        assertThat(p.summary()).isEqualTo("live");
    }

    @Test
    void h264BitrateIsReconfiguredH265BitrateRestartsThatOutputOnly() throws Exception {
        MixTaskSpec before = spec();
        assertThat(actions(OutputChanges.between(before, edited(before, s -> s.outputs.get(1).video.bitrate = 900_000))))
                .containsExactly(KEEP, NEW_BITRATE);
        MixTaskSpec crf = edited(before, s -> s.outputs.get(1).video.rateControl = RateControl.CRF);
        assertThat(actions(OutputChanges.between(crf, edited(crf, s -> s.outputs.get(1).video.bitrate = 900_000))))
                .as("with CRF the bitrate is the cap, also reconfigurable").containsExactly(KEEP, NEW_BITRATE);
        MixTaskSpec hevc = edited(before, s -> s.outputs.get(1).video.codec = VideoCodec.H265);
        OutputChanges.Plan p = OutputChanges.between(hevc, edited(hevc, s -> s.outputs.get(1).video.bitrate = 900_000));
        assertThat(actions(p)).containsExactly(KEEP, RESTART);
        assertThat(p.summary()).isEqualTo("live; outputs restarted: b");
        MixTaskSpec both = edited(before, s -> {
            s.outputs.get(1).video.bitrate = 900_000;
            s.outputs.get(1).video.fps = 10;
        });
        assertThat(actions(OutputChanges.between(before, both))).as("bitrate and fps: one reopen").containsExactly(KEEP, RESTART);
    }

    @Test
    void outputsAreMatchedByIdentitySoAddingRemovingAndReorderingTouchNoOther() throws Exception {
        MixTaskSpec before = spec();
        MixTaskSpec after = edited(before, s -> {
            List<MixOutput> outs = new ArrayList<>(s.outputs);
            outs.remove(0);
            outs.add(0, MediaTools.fileOutput("c", Path.of("c.mp4"), 320, 180, 15));
            s.outputs = outs;
        });
        OutputChanges.Plan p = OutputChanges.between(before, after);
        assertThat(actions(p)).containsExactly(ADD, KEEP);
        assertThat(p.steps().get(1).identity()).isEqualTo("name:b");
        assertThat(p.removed()).containsExactly("name:a");
        assertThat(p.summary()).isEqualTo("live; outputs added: c; outputs removed: a");
    }

    @Test
    void codecFromExtraParamsRestartsTheOutputsThatNameNone() throws Exception {
        MixTaskSpec before = edited(spec(), s -> s.outputs.get(0).video.codec = VideoCodec.H264);
        MixTaskSpec after = edited(before, s -> s.extraParams = List.of(new ExtraParam("video_encode", "h265")));
        assertThat(actions(OutputChanges.between(before, after))).containsExactly(KEEP, RESTART);
    }

    @Test
    void outputsWhoseUploadKeysChangedAreReopenedEvenWithAnUnchangedSpec() throws Exception {
        MixTaskSpec before = spec();
        MixTaskSpec after = edited(before, s -> s.outputs.get(0).video.bitrate = 900_000);
        String idA = io.streammix.api.diff.SpecDiff.identity(after.outputs.get(0), 0);
        String idB = io.streammix.api.diff.SpecDiff.identity(after.outputs.get(1), 1);
        OutputChanges.Plan p = OutputChanges.between(before, after).reopening(java.util.Set.of(idA, idB));
        assertThat(actions(p)).as("a new bitrate and a kept output both reopen").containsExactly(RESTART, RESTART);
        assertThat(p.summary()).isEqualTo("live; outputs restarted: a, b");
        assertThat(actions(OutputChanges.between(null, after).reopening(java.util.Set.of(idA)))).as("added stays added")
                .containsExactly(ADD, ADD);
    }
}
