package io.streammix.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.crd.CelRuleEvaluator;
import io.streammix.api.crd.CrdSchema;
import io.streammix.api.crd.OpenApiSchemaValidator;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.validation.SpecValidator;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every MixTask in examples/ passes admission (OpenAPI schema and CEL rules of the CRD) and the Java rules. */
class ExamplesTest {
    static final CrdSchema CRD = CrdSchema.committed();

    static Stream<Path> examples() throws IOException {
        return ExampleFiles.all().stream();
    }

    @Test
    void oneExamplePerFeatureExists() throws IOException {
        assertThat(examples().map(p -> p.getFileName().toString())).contains("audio-only.yaml", "two-party.yaml",
                "picture-in-picture.yaml", "grid-3x3.yaml", "background-watermark.yaml", "h265-crf.yaml",
                "multi-output-ladder.yaml", "url-from-secret.yaml", "synthetic-demo.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyMixTaskInTheExampleIsAdmitted(Path file) throws IOException {
        List<String> tasks = ExampleFiles.mixTaskDocuments(file);
        assertThat(tasks).as("MixTask documents in " + file).isNotEmpty();
        for (String doc : tasks) {
            JsonNode object = CrdSchema.YAML.readTree(doc);
            assertThat(new OpenApiSchemaValidator(CRD.openApiSchema()).validate(object)).as("schema").isEmpty();
            assertThat(new CelRuleEvaluator(CRD.openApiSchema()).evaluate(object, new ArrayList<>())).as("CEL").isEmpty();
            MixTask task = new KubernetesSerialization().unmarshal(doc, MixTask.class);
            assertThat(SpecValidator.validate(task.getSpec())).as("Java rules").isEmpty();
        }
    }
}
