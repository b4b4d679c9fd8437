package io.streammix.operator.sizing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streammix.api.ExampleFiles;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The cost model's terms: what each part of a spec adds, and the examples in the order of what they mix. */
class WorkerCostModelTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static MixTaskSpec example(String file) throws Exception {
        return YAML.readValue(ExampleFiles.mixTaskDocuments(Path.of("examples", file)).get(0), MixTask.class).getSpec();
    }

    @Test
    void featuresCountWhatTheSpecMixes() {
        MixTaskSpec spec = Tasks.mixTask("ns", "t").getSpec(); // testsrc 320x360@20 and a stream in 320x360, 640x360@20
        double[] cpu = WorkerCostModel.cpuFeatures(spec);
        assertThat(cpu[WorkerCostModel.BASE]).isEqualTo(1);
        assertThat(cpu[WorkerCostModel.INPUT]).as("inputs").isEqualTo(2);
        assertThat(cpu[WorkerCostModel.INPUT_AUDIO]).as("inputs with sound: the stream (the testsrc has no tone)").isEqualTo(1);
        assertThat(cpu[WorkerCostModel.TESTSRC]).as("testsrc Mpx/s: its URL's size and fps").isCloseTo(0.320 * 0.360 * 20, within(1e-9));
        assertThat(cpu[WorkerCostModel.DECODED]).as("a stream: its rect's size at the canvas fps").isCloseTo(0.320 * 0.360 * 20, within(1e-9));
        assertThat(cpu[WorkerCostModel.SCALED]).as("scaled Mpx/s: the testsrc is its rect's size, the stream is taken as its rect's").isZero();
        assertThat(cpu[WorkerCostModel.CANVAS]).as("canvas Mpx/s").isCloseTo(0.640 * 0.360 * 20, within(1e-9));
        assertThat(cpu[WorkerCostModel.RUNG]).as("one output: no rungs").isZero();
        assertThat(cpu[WorkerCostModel.H264]).as("H.264 Mpx/s").isCloseTo(0.640 * 0.360 * 20, within(1e-9));
        assertThat(cpu[WorkerCostModel.H265]).as("H.265 Mpx/s").isZero();
        assertThat(cpu[WorkerCostModel.OUTPUT]).as("outputs: each encodes audio (absent: the default AAC)").isEqualTo(1);
        assertThat(cpu[WorkerCostModel.VIDEO_OUTPUT]).as("outputs with video").isEqualTo(1);
        double[] mem = WorkerCostModel.memoryFeatures(spec);
        assertThat(mem[2]).as("canvas Mpx").isCloseTo(0.640 * 0.360, within(1e-9));
        assertThat(mem[5]).as("outputs").isEqualTo(1);
    }

    @Test
    void aPictureIsCountedAsScaledOnlyWhenItIsNotItsRectsSize() throws Exception {
        double[] pip = WorkerCostModel.cpuFeatures(example("picture-in-picture.yaml"));
        assertThat(pip[WorkerCostModel.TESTSRC]).as("the speaker's 1280x720 test pattern").isCloseTo(1.280 * 0.720 * 15, within(1e-9));
        assertThat(pip[WorkerCostModel.SCALED]).as("only the guest is scaled (640x360 into 360x202); the speaker fills its rect as it is")
                .isCloseTo(0.360 * 0.202 * 15, within(1e-9));
    }

    @Test
    void aLadderCountsEachSmallerSizeOnceAsARungAndAnAudioOnlyOutputAsNoVideo() throws Exception {
        double[] ladder = WorkerCostModel.cpuFeatures(example("multi-output-ladder.yaml"));
        assertThat(ladder[WorkerCostModel.RUNG]).as("854x480 and 426x240 (even: 426x240) drawn at the canvas rate, 15 fps")
                .isCloseTo((0.854 * 0.480 + 0.426 * 0.240) * 15, within(1e-9));
        assertThat(ladder[WorkerCostModel.H264]).as("each rung encoded at its own rate")
                .isCloseTo(1.280 * 0.720 * 15 + 0.854 * 0.480 * 15 + 0.426 * 0.240 * 10, within(1e-9));
        assertThat(ladder[WorkerCostModel.OUTPUT]).as("four outputs encode audio").isEqualTo(4);
        assertThat(ladder[WorkerCostModel.VIDEO_OUTPUT]).as("three of them video").isEqualTo(3);

        MixTaskSpec twice = Tasks.mixTask("ns", "t").getSpec();
        MixOutput same = Tasks.mixTask("ns", "t").getSpec().outputs.get(0);
        same.streamId = "out2";
        twice.outputs = new ArrayList<>(List.of(twice.outputs.get(0), same));
        assertThat(WorkerCostModel.cpuFeatures(twice)[WorkerCostModel.RUNG]).as("a second output of the canvas's size is no rung").isZero();
    }

    @Test
    void anInputWithoutSoundAndAnAudioOnlyOutputCostLess() throws Exception {
        MixTaskSpec grid = example("grid-3x3.yaml");
        assertThat(WorkerCostModel.cpuFeatures(grid)[WorkerCostModel.INPUT_AUDIO]).as("only p1 and p5 have a tone").isEqualTo(2);
        MixTaskSpec toned = example("grid-3x3.yaml");
        toned.inputs.forEach(in -> in.url = in.url.contains("tone=") ? in.url : in.url + "&tone=330");
        assertThat(WorkerCostModel.predict(grid).millicores()).as("seven silent pictures cost less than seven with a tone")
                .isLessThan(WorkerCostModel.predict(toned).millicores());

        MixTaskSpec demo = example("synthetic-demo.yaml");
        MixTaskSpec recording = example("recording-pvc.yaml");
        MixTaskSpec twoVideo = example("synthetic-demo.yaml");
        MixOutput second = example("synthetic-demo.yaml").outputs.get(0);
        second.name = "demo2";
        twoVideo.outputs = new ArrayList<>(List.of(twoVideo.outputs.get(0), second));
        double audioOnly = WorkerCostModel.predict(recording).millicores() - WorkerCostModel.predict(demo).millicores();
        double video = WorkerCostModel.predict(twoVideo).millicores() - WorkerCostModel.predict(demo).millicores();
        assertThat(audioOnly).as("recording-pvc is synthetic-demo and an audio-only output").isPositive();
        assertThat(audioOnly).as("an audio-only output costs less than a second video output of the canvas's size")
                .isLessThan(video);
    }

    @Test
    void eachTermCostsSomething() {
        MixTaskSpec base = Tasks.mixTask("ns", "t").getSpec();
        WorkerCostModel.Cost before = WorkerCostModel.predict(base);

        MixTaskSpec h265 = Tasks.mixTask("ns", "t").getSpec();
        h265.outputs.get(0).video.codec = VideoCodec.H265;
        assertThat(WorkerCostModel.predict(h265).millicores()).as("H.265 encodes dearer than H.264").isGreaterThan(before.millicores());

        MixTaskSpec bigger = Tasks.mixTask("ns", "t").getSpec();
        bigger.outputs.get(0).video.width = 1920;
        bigger.outputs.get(0).video.height = 1080;
        assertThat(WorkerCostModel.predict(bigger).millicores()).isGreaterThan(before.millicores());
        assertThat(WorkerCostModel.predict(bigger).memoryMib()).isGreaterThan(before.memoryMib());

        MixTaskSpec ladder = Tasks.mixTask("ns", "t").getSpec();
        MixOutput second = Tasks.mixTask("ns", "t").getSpec().outputs.get(0);
        second.streamId = "out2";
        ladder.outputs = new ArrayList<>(List.of(ladder.outputs.get(0), second));
        assertThat(WorkerCostModel.predict(ladder).millicores()).isGreaterThan(before.millicores());
        assertThat(WorkerCostModel.predict(ladder).memoryMib()).isGreaterThan(before.memoryMib());
    }

    @Test
    void aGridIntoA1080p30LadderCostsMoreThanOne360pOutput() throws Exception {
        WorkerCostModel.Cost small = WorkerCostModel.predict(example("h265-crf.yaml"));
        MixTaskSpec grid = example("grid-3x3.yaml");
        MixOutput hd = grid.outputs.get(0);
        hd.video.width = 1920;
        hd.video.height = 1080;
        hd.video.fps = 30;
        MixOutput sd = example("grid-3x3.yaml").outputs.get(0);
        sd.video.width = 1280;
        sd.video.height = 720;
        grid.outputs = List.of(hd, sd);
        WorkerCostModel.Cost big = WorkerCostModel.predict(grid);
        assertThat(big.millicores()).isGreaterThan(2 * WorkerCostModel.predict(example("synthetic-demo.yaml")).millicores());
        assertThat(big.memoryMib()).isGreaterThan(small.memoryMib());
    }

    @Test
    void everyExampleHasAPositiveCostAboveTheBase() throws Exception {
        for (Path p : ExampleFiles.all()) {
            MixTaskSpec spec = YAML.readValue(ExampleFiles.mixTaskDocuments(p).get(0), MixTask.class).getSpec();
            WorkerCostModel.Cost c = WorkerCostModel.predict(spec);
            assertThat(c.millicores()).as(p + " CPU").isGreaterThan(WorkerCostModel.CPU[0]);
            assertThat(c.memoryMib()).as(p + " memory").isGreaterThanOrEqualTo(WorkerCostModel.MEMORY[0]);
        }
    }
}
