package io.streammix.api.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;
import io.streammix.api.crd.CrdGenerator;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.MixTaskStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Generates {@code docs/reference.md} from the API model: the CRD schema the model generates (types,
 * ranges, patterns, enums, required) and the {@link SpecChange} class of each field. A test fails
 * when the committed file differs; regenerate with {@code ./mvnw -q compile exec:java@docs}.
 */
public final class ReferenceDoc {
    public static final Path FILE = Path.of("docs", "reference.md");

    private ReferenceDoc() {
    }

    public static String generate() {
        JsonNode schema;
        try {
            schema = new ObjectMapper(new YAMLFactory()).readTree(CrdGenerator.generate())
                    .at("/spec/versions/0/schema/openAPIV3Schema/properties");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder md = new StringBuilder();
        md.append("# MixTask reference (`streammix.io/v1alpha1`)\n\n")
                .append("<!-- Generated from the Java model by io.streammix.api.docs.ReferenceDoc: do not edit; run "
                        + "`./mvnw -q compile exec:java@docs`. -->\n\n")
                .append("Every field of a MixTask: its type, the rules admission enforces, and what changing it does to a "
                        + "running task (**live**: applied between two frames, nothing restarted; **output restart**: only that "
                        + "output's encoder is reopened; **worker restart**: the worker pod is replaced). The descriptions are the "
                        + "ones `kubectl explain mixtask.spec...` shows, with units, defaults and the start-mix field each mirrors. "
                        + "Cross-field rules (CEL) are listed after the tables.\n\n")
                .append("## spec\n\n| Field | Type | Rules | Change | Description |\n| --- | --- | --- | --- | --- |\n");
        List<String> cel = new ArrayList<>();
        rows(schema.get("spec"), "spec", MixTaskSpec.class, md, cel, true);
        md.append("\n## status\n\nWritten by the operator only, from what the worker reports.\n\n")
                .append("| Field | Type | Description |\n| --- | --- | --- |\n");
        rows(schema.get("status"), "status", MixTaskStatus.class, md, cel, false);
        md.append("\n## Cross-field rules (CEL, checked at admission)\n\n| Where | Rule | Message |\n| --- | --- | --- |\n");
        cel.forEach(md::append);
        return md.toString();
    }

    private static void rows(JsonNode node, String path, Class<?> type, StringBuilder md, List<String> cel, boolean spec) {
        for (JsonNode v : node.path("x-kubernetes-validations")) {
            cel.add("| `" + path + "` | `" + cell(v.path("rule").asText()) + "` | " + cell(v.path("message").asText()) + " |\n");
        }
        JsonNode props = node.has("items") ? node.get("items").path("properties") : node.path("properties");
        if (node.has("items")) {
            for (JsonNode v : node.get("items").path("x-kubernetes-validations")) {
                cel.add("| `" + path + "[]` | `" + cell(v.path("rule").asText()) + "` | " + cell(v.path("message").asText()) + " |\n");
            }
        }
        List<String> required = new ArrayList<>();
        (node.has("items") ? node.get("items") : node).path("required").forEach(r -> required.add(r.asText()));
        Iterator<Map.Entry<String, JsonNode>> it = props.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode p = e.getValue();
            String at = path + (node.has("items") ? "[]." : ".") + name;
            Field field = field(type, name);
            if (spec) {
                SpecChange change = field == null ? null : field.getAnnotation(SpecChange.class);
                ChangeClass c = change == null ? ChangeClass.WORKER_RESTART : change.value();
                md.append("| `").append(at).append("` | ").append(typeOf(p)).append(" | ")
                        .append(rules(p, required.contains(name))).append(" | ").append(c.label()).append(" | ")
                        .append(cell(p.path("description").asText())).append(" |\n");
            } else {
                md.append("| `").append(at).append("` | ").append(typeOf(p)).append(" | ")
                        .append(cell(p.path("description").asText())).append(" |\n");
            }
            Class<?> next = field == null ? null : elementType(field);
            if (next != null && next.getPackageName().startsWith("io.streammix.api") && !next.isEnum()) {
                rows(p, at, next, md, cel, spec);
            }
        }
    }

    private static String typeOf(JsonNode p) {
        String t = p.path("type").asText("object");
        if ("array".equals(t)) {
            return "array of " + p.path("items").path("type").asText("object");
        }
        if (p.has("enum")) {
            List<String> values = new ArrayList<>();
            p.get("enum").forEach(v -> values.add(v.asText()));
            return "enum: " + String.join(", ", values);
        }
        return t;
    }

    private static String rules(JsonNode p, boolean required) {
        List<String> r = new ArrayList<>();
        if (required) {
            r.add("required");
        }
        if (p.has("minimum") || p.has("maximum")) {
            r.add(number(p.get("minimum")) + ".." + number(p.get("maximum")));
        }
        if (p.has("minLength") || p.has("maxLength")) {
            r.add("length " + number(p.get("minLength")) + ".." + number(p.get("maxLength")));
        }
        if (p.has("minItems") || p.has("maxItems")) {
            r.add("items " + number(p.get("minItems")) + ".." + number(p.get("maxItems")));
        }
        if (p.has("pattern")) {
            r.add("pattern `" + cell(p.get("pattern").asText()) + "`");
        }
        return String.join("; ", r);
    }

    private static String number(JsonNode n) {
        if (n == null) {
            return "";
        }
        double d = n.asDouble();
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static Field field(Class<?> type, String name) {
        try {
            return type.getField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static Class<?> elementType(Field f) {
        if (f.getGenericType() instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return f.getType();
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(FILE, generate());
        System.out.println("wrote " + FILE);
    }
}
