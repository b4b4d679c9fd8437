package io.streammix.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The committed CRD, read as a tree: its OpenAPI schema and every CEL rule in it with where it sits. */
public final class CrdSchema {
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A CEL rule of the CRD and the schema path it is attached to (e.g. {@code spec.inputs[]}). */
    public record Rule(String schemaPath, String rule, String message) {
    }

    private final JsonNode openApiSchema;

    private CrdSchema(JsonNode crd) {
        this.openApiSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    }

    public static CrdSchema committed() {
        try {
            return new CrdSchema(YAML.readTree(Files.readString(CrdGenerator.COMMITTED)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode openApiSchema() {
        return openApiSchema;
    }

    /** Every {@code x-kubernetes-validations} rule in the schema. */
    public List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        collect(openApiSchema, "", rules);
        return rules;
    }

    private static void collect(JsonNode schema, String path, List<Rule> out) {
        for (JsonNode v : schema.path("x-kubernetes-validations")) {
            out.add(new Rule(path.isEmpty() ? "<root>" : path, v.path("rule").asText(), v.path("message").asText()));
        }
        for (Map.Entry<String, JsonNode> p : iterable(schema.path("properties"))) {
            collect(p.getValue(), path.isEmpty() ? p.getKey() : path + "." + p.getKey(), out);
        }
        if (schema.has("items")) {
            collect(schema.get("items"), path + "[]", out);
        }
        if (schema.has("additionalProperties") && schema.get("additionalProperties").isObject()) {
            collect(schema.get("additionalProperties"), path + "{}", out);
        }
    }

    static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }

    public static Path committedPath() {
        return CrdGenerator.COMMITTED;
    }
}
