package io.streammix.worker.engine.output;

import io.streammix.worker.engine.output.sink.OutputTarget;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streammix.api.crd.CelRuleEvaluator;
import io.streammix.api.crd.CrdSchema;
import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.SpecRules;
import io.streammix.api.validation.AdmissionCases;
import io.streammix.api.validation.AudioOnlyFile;
import io.streammix.api.validation.SpecValidator;
import io.streammix.api.validation.Violation;
import io.streammix.worker.engine.output.sink.OutputTarget;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three readers of "which codecs can this output's file hold" agree: the CEL rules in the committed CRD, their
 * Java twin ({@link SpecValidator}, from the {@link AudioOnlyFile} table) and the worker (the muxer
 * {@link OutputTarget} picks for the url, then {@link OutputCodecs#check}). Every file kind and extension, in every URL
 * form the worker reads (paths, file:// URLs with queries and fragments, any case, trailing slashes, network URLs and
 * paths that only contain an extension), with and without a picture, with each audio codec and none.
 */
class AudioOnlyFileRulesTest {
    static final CrdSchema CRD = CrdSchema.committed();
    static final CelRuleEvaluator CEL = new CelRuleEvaluator(CRD.openApiSchema());
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> RULES = Set.of(SpecRules.AUDIO_ONLY_FILE_NO_VIDEO, SpecRules.MP3_HOLDS_MP3, SpecRules.OGG_HOLDS_OPUS,
            SpecRules.M4A_HOLDS_AAC);

    /** Every URL form, for one file name ending. */
    static List<String> urls(String ext) {
        String up = ext.toUpperCase(Locale.ROOT);
        return List.of("/rec/a" + ext, "rec/a" + up, "/rec/a" + ext + "/", "/rec/a" + ext + "?x=1", "/rec/a" + ext + "#f",
                "/rec/a" + ext + ".mp4", "/rec" + ext + "/a.mkv", "file:///rec/a" + ext, "FILE:///rec/A" + up,
                "file://host/rec/a" + ext + "?x=1" + ext, "file:///rec/a" + ext + "#t=1", "file:///rec/a" + ext + "/?x",
                "file:///rec/a?x=" + ext, "file:///rec/a" + ext + ".ts", "file:/rec/a" + ext, "rtmp://h/app/a" + ext,
                "srt://h:9000?streamid=a" + ext);
    }

    /** The endings OutputTarget knows (written out, so that a kind dropped from the table is still tried), and the table's. */
    static Stream<String> allUrls() {
        Stream<String> known = Stream.of(".m4a", ".mp3", ".ogg", ".oga", ".opus", ".mp4", ".mkv", ".flv", ".ts", ".m3u8", ".aac",
                ".wav");
        Stream<String> table = Arrays.stream(AudioOnlyFile.values()).flatMap(f -> f.extensions.stream());
        return Stream.concat(known, table).distinct().flatMap(e -> urls(e).stream());
    }

    @Test
    void admissionReadsTheUrlAsTheWorkerDoes() {
        allUrls().forEach(url -> {
            MixOutput out = new MixOutput();
            out.url = url;
            String format = OutputTarget.of(out, 0, Path.of("/tmp")).format();
            assertThat(AudioOnlyFile.ofUrl(url)).as(url + " (worker's muxer: " + format + ")").isEqualTo(AudioOnlyFile.ofFormat(format));
        });
    }

    @Test
    void celRulesJavaTwinAndWorkerRefuseTheSameOutputsNamingTheSameField() throws Exception {
        List<AudioCodec> codecs = new ArrayList<>(Arrays.asList(AudioCodec.values()));
        codecs.add(null);
        int refused = 0;
        int cases = 0;
        for (String url : allUrls().toList()) {
            for (boolean video : new boolean[] {true, false}) {
                for (AudioCodec codec : codecs) {
                    String what = url + (video ? " with video" : " audio-only") + ", codec " + codec;
                    ObjectNode task = task(url, video, codec);
                    cases++;

                    List<String> cel = new ArrayList<>();
                    for (CelRuleEvaluator.Failure f : CEL.evaluate(task, new ArrayList<>())) {
                        if (RULES.contains(f.rule().rule())) {
                            assertThat(f.error()).as(what + ": CEL evaluation error").isNull();
                            assertThat(f.path()).isEqualTo("spec.outputs[3]");
                            cel.add(f.rule().message().substring(0, f.rule().message().indexOf(':')).replace("[]", "[3]"));
                        }
                    }
                    // The URL policy's rule on where files may lie (under the task's volumes) is not this test's subject.
                    List<Violation> java = SpecValidator.validate(JSON.treeToValue(task, MixTask.class).getSpec()).stream()
                            .filter(v -> !v.field().equals("spec.outputs[3].url")).toList();
                    assertThat(java).as(what + ": no other rule").allMatch(v -> v.field().startsWith("spec.outputs[3]."));

                    MixOutput out = JSON.treeToValue(task.at("/spec/outputs/3"), MixOutput.class);
                    String format = OutputTarget.of(out, 3, Path.of("/tmp")).format();
                    String worker = null;
                    try {
                        OutputCodecs.check(out, 3, OutputCodecs.audioCodec(out, format), Set.of(format));
                    } catch (IllegalArgumentException e) {
                        worker = e.getMessage();
                    }

                    assertThat(cel).as(what + ": CEL fields").containsExactlyInAnyOrderElementsOf(
                            java.stream().map(Violation::field).toList());
                    if (worker == null) {
                        assertThat(java).as(what + ": the worker accepts it").isEmpty();
                    } else {
                        refused++;
                        assertThat(java).as(what + ": the worker refuses it").isNotEmpty();
                        assertThat(java.get(0).toString()).as(what + ": the worker's words").isEqualTo(worker);
                    }
                }
            }
        }
        // Enough of both to mean something: 4 kinds x 5 extensions x URL forms x video x codecs.
        assertThat(refused).as("refused of " + cases).isGreaterThan(200);
        assertThat(cases - refused).as("accepted of " + cases).isGreaterThan(500);
    }

    /** The full example with its recording output (outputs[3]) writing {@code url}, nothing else in the way. */
    static ObjectNode task(String url, boolean video, AudioCodec codec) {
        ObjectNode task = AdmissionCases.base();
        ObjectNode out = (ObjectNode) task.at("/spec/outputs/3");
        out.remove("recording");
        out.put("url", url);
        if (!video) {
            ((ObjectNode) out.get("video")).put("width", 1).put("height", 1);
        }
        if (codec != null) {
            out.set("audio", JsonNodeFactory.instance.objectNode().put("codec", codec.name()));
        }
        return task;
    }
}
