package io.streammix.startmix;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.streammix.api.crd.CelRuleEvaluator;
import io.streammix.api.crd.CrdSchema;
import io.streammix.api.crd.OpenApiSchemaValidator;
import io.streammix.api.v1alpha1.MixTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The command users coming from the vendor's API run: a start-mix request in, a MixTask the API server admits out. */
class StartMixCommandTest {
    static final String REQUEST = """
            {"timestamp":1562052086,"id_name":"u1","live_channel":"room1","appid":400840168,"task_id":"mix_task_1",
             "output_bg_color":4294967040,"userdata":"hello","seq":3,
             "MixInput":[{"url":"rtmp://src.example/live/a","rect":{"top":0,"left":0,"bottom":360,"right":320}},
                         {"url":"rtmp://src.example/live/b","rect":{"top":0,"left":320,"bottom":360,"right":640}}],
             "MixOutput":[{"stream_id":"mix1","bitrate":800000,"fps":15,"height":360,"width":640}],
             "watermark":{"image":"preset-id://1","rect":{"top":0,"bottom":10,"left":0,"right":10}}}
            """;

    record Run(int code, String out, String err) {
    }

    static Run run(String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StartMixCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRequestFileBecomesAMixTaskThatAdmissionAccepts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("request.json");
        Files.writeString(file, REQUEST);
        Run r = run("", file.toString(), "--namespace", "media");
        assertThat(r.code()).as(r.err()).isZero();

        CrdSchema crd = CrdSchema.committed();
        JsonNode object = CrdSchema.YAML.readTree(r.out());
        assertThat(new OpenApiSchemaValidator(crd.openApiSchema()).validate(object)).as("schema").isEmpty();
        assertThat(new CelRuleEvaluator(crd.openApiSchema()).evaluate(object, new ArrayList<>())).as("CEL").isEmpty();
        MixTask task = new KubernetesSerialization().unmarshal(r.out(), MixTask.class);
        assertThat(task.getMetadata().getNamespace()).isEqualTo("media");
        assertThat(object.has("status")).as("a user applies no status").isFalse();
        assertThat(task.getSpec().inputs).hasSize(2);
        assertThat(task.getSpec().outputs.get(0).streamId).isEqualTo("mix1");
        assertThat(task.getSpec().seq).isEqualTo(3L);
        assertThat(r.err()).as("what has no place in a MixTask is said").contains("not carried over: watermark.image: the vendor's preset images are not available here");
    }

    @Test
    void stdinWorksAndABadRequestExitsOneNamingTheField() throws Exception {
        assertThat(run(REQUEST, "-").code()).isZero();

        Run bad = run(REQUEST.replace("\"fps\":15", "\"fps\":0"), "-");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).contains("fps");

        Run notJson = run("{not json", "-");
        assertThat(notJson.code()).isEqualTo(1);
        assertThat(run("", "--namespace").code()).as("usage").isEqualTo(2);
    }
}
