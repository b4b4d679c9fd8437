package io.streammix.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.List;

/**
 * Validates objects against the CRD's OpenAPI v3 schema with a JSON-schema library: the structural
 * part of admission (types, required, ranges, lengths, patterns, enums, item counts). The
 * {@code x-kubernetes-*} extensions are unknown keywords to it and are ignored; the CEL rules are
 * {@link CelRuleEvaluator}'s.
 */
public final class OpenApiSchemaValidator {
    /** One schema violation: the object location (e.g. {@code /spec/inputs/0/volume}) and the schema keyword location. */
    public record Failure(String instancePath, String schemaPath, String keyword, String message) {
    }

    private final JsonSchema schema;

    public OpenApiSchemaValidator(JsonNode openApiSchema) {
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApiSchema);
    }

    public List<Failure> validate(JsonNode object) {
        return schema.validate(object).stream()
                .map(OpenApiSchemaValidator::failure)
                .toList();
    }

    private static Failure failure(ValidationMessage m) {
        String instance = m.getInstanceLocation().toString().replaceFirst("^\\$", "").replace('.', '/')
                .replaceAll("\\[(\\d+)]", "/$1");
        String schemaPath = m.getSchemaLocation().getFragment().toString();
        return new Failure(instance, schemaPath, m.getType(), m.getMessage());
    }
}
