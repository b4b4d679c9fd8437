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
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void theIssueExamplesExist() throws IOException {
        assertThat(examples().map(p -> p.getFileName().toString())).contains("audio-only.yaml", "two-party.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleIsAdmitted(Path file) throws IOException {
        // An example may carry what the task needs after it (a PVC, a Secret): the MixTask is the first document.
        String yaml = Files.readString(file).split("(?m)^---\\s*$")[0];
        JsonNode object = CrdSchema.YAML.readTree(yaml);
        assertThat(object.path("kind").asText()).isEqualTo("MixTask");
        assertThat(new OpenApiSchemaValidator(CRD.openApiSchema()).validate(object)).as("schema").isEmpty();
        assertThat(new CelRuleEvaluator(CRD.openApiSchema()).evaluate(object, new ArrayList<>())).as("CEL").isEmpty();
        MixTask task = new KubernetesSerialization().unmarshal(yaml, MixTask.class);
        assertThat(SpecValidator.validate(task.getSpec())).as("Java rules").isEmpty();
    }
}
