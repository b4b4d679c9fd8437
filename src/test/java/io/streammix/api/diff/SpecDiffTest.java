package io.streammix.api.diff;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.streammix.api.ChangeClass;
import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.ExtraParam;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.api.v1alpha1.WorkerOverrides;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class SpecDiffTest {
    static final KubernetesSerialization K8S = new KubernetesSerialization();

    static MixTaskSpec full() {
        try (InputStream in = SpecDiffTest.class.getResourceAsStream("/io/streammix/api/mixtask-full.yaml")) {
            return K8S.unmarshal(in, MixTask.class).getSpec();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> diff(Consumer<MixTaskSpec> edit) {
        MixTaskSpec before = full();
        MixTaskSpec after = full();
        edit.accept(after);
        return SpecDiff.between(before, after).stream().map(FieldChange::toString).toList();
    }

    @Test
    void equalSpecsHaveNoChanges() {
        assertThat(diff(s -> { })).isEmpty();
        assertThat(SpecDiff.costOf(List.of())).isNull();
    }

    @Test
    void layoutEditsAreLiveAndNamedByField() {
        assertThat(diff(s -> s.inputs.get(1).rect = new Rect(600, 0, 1280, 720))).containsExactly("inputs[1].rect: live");
        assertThat(diff(s -> s.inputs.get(0).volume = 0)).containsExactly("inputs[0].volume: live");
        assertThat(diff(s -> s.background = new Background("#000000", null)))
                .containsExactlyInAnyOrder("background.color: live", "background.image (removed): live");
        assertThat(diff(s -> s.userData = "other")).containsExactly("userData: live");
    }

    @Test
    void insertingAnInputIsOneAdditionNotAShiftOfEveryInput() {
        List<String> changes = diff(s -> {
            MixInput extra = new MixInput();
            extra.name = "extra";
            extra.url = "synthetic:color?color=#00FF00";
            extra.rect = new Rect(0, 0, 100, 100);
            s.inputs.add(0, extra);
        });
        assertThat(changes).containsExactly("inputs[0] (added): live");
        assertThat(diff(s -> s.inputs.remove(1))).containsExactly("inputs[1] (removed): live");
    }

    @Test
    void encoderSettingsRestartOnlyTheirOutput() {
        List<FieldChange> changes = SpecDiff.between(full(), edited(s -> s.outputs.get(1).video.width = 854));
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("outputs[1].video.width");
            assertThat(c.changeClass()).isEqualTo(ChangeClass.OUTPUT_RESTART);
            assertThat(c.output()).isEqualTo(1);
        });
    }

    @Test
    void bitrateIsLiveForH264AndRestartsAnH265Output() {
        assertThat(diff(s -> s.outputs.get(0).video.bitrate = 3_000_000)).containsExactly("outputs[0].video.bitrate: live");
        assertThat(diff(s -> s.outputs.get(1).video.bitrate = 900_000)).containsExactly("outputs[1].video.bitrate: output restart");
        // H.265 by the vendor's extra_params video_encode, on an output that names no codec.
        List<String> viaExtra = diff(s -> {
            s.outputs.get(0).video.codec = null;
            s.extraParams = new ArrayList<>(List.of(new ExtraParam("video_encode", "h265")));
        });
        assertThat(viaExtra).contains("extraParams[video_encode]: output restart", "outputs[0].video.codec (removed): output restart");
        MixTaskSpec h265ByExtra = edited(s -> {
            s.outputs.get(0).video.codec = null;
            s.extraParams = List.of(new ExtraParam("video_encode", "h265"));
        });
        assertThat(SpecDiff.codecOf(h265ByExtra, h265ByExtra.outputs.get(0))).isEqualTo(VideoCodec.H265);
        MixTaskSpec h265ByExtraFaster = edited(s -> {
            s.outputs.get(0).video.codec = null;
            s.outputs.get(0).video.bitrate = 1_000_000;
            s.extraParams = List.of(new ExtraParam("video_encode", "h265"));
        });
        assertThat(SpecDiff.between(h265ByExtra, h265ByExtraFaster)).extracting(FieldChange::toString)
                .containsExactly("outputs[0].video.bitrate: output restart");
    }

    @Test
    void workerSettingsAndBypassRestartTheWorker() {
        List<FieldChange> changes = SpecDiff.between(full(), edited(s -> {
            s.worker = new WorkerOverrides();
            s.worker.image = "other:2";
            s.inputs.get(0).rect = new Rect(0, 0, 320, 180);
        }));
        assertThat(changes).extracting(FieldChange::toString).containsExactlyInAnyOrder("worker: worker restart", "inputs[0].rect: live");
        assertThat(SpecDiff.costOf(changes)).isEqualTo(ChangeClass.WORKER_RESTART);
        assertThat(diff(s -> s.bypass = true)).containsExactly("bypass: worker restart");
    }

    static MixTaskSpec edited(Consumer<MixTaskSpec> edit) {
        MixTaskSpec s = full();
        edit.accept(s);
        return s;
    }

    /** A model class as someone might forget to annotate it. */
    static class Forgotten {
        @io.streammix.api.SpecChange(ChangeClass.LIVE)
        public String annotated;
        public String notAnnotated;
    }

    @Test
    void aFieldWithoutAClassCountsAsTheMostDisruptive() throws Exception {
        assertThat(SpecDiff.classOf(Forgotten.class.getField("annotated"))).isEqualTo(ChangeClass.LIVE);
        assertThat(SpecDiff.classOf(Forgotten.class.getField("notAnnotated"))).isEqualTo(ChangeClass.WORKER_RESTART);
    }
}
