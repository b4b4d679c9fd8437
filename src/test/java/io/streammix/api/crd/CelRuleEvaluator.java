package io.streammix.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the CRD's CEL rules ({@code x-kubernetes-validations}) on an object the way the API
 * server does: each rule runs with {@code self} bound to the value at the schema node that carries
 * it, for every such value in the object (every item of a list, ...). Uses the CEL Java library,
 * since no API server can run here.
 */
public final class CelRuleEvaluator {
    /** One rule that did not hold: where in the object, and which rule. */
    public record Failure(String path, CrdSchema.Rule rule, String error) {
    }

    private final CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .build();
    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    private final Map<String, CelRuntime.Program> programs = new HashMap<>();
    private final JsonNode schema;

    public CelRuleEvaluator(JsonNode openApiSchema) {
        this.schema = openApiSchema;
    }

    /** Compiles a rule; throws with the compiler's message when the rule does not compile. */
    public CelRuntime.Program compile(String rule) {
        return programs.computeIfAbsent(rule, r -> {
            try {
                return runtime.createProgram(compiler.compile(r).getAst());
            } catch (Exception e) {
                throw new IllegalStateException("CEL rule does not compile: " + r + ": " + e.getMessage(), e);
            }
        });
    }

    /** Every rule that fails on {@code object}, plus the list of rules evaluated (passing or not). */
    public List<Failure> evaluate(JsonNode object, List<CrdSchema.Rule> evaluated) {
        List<Failure> failures = new ArrayList<>();
        walk(schema, object, "", "", failures, evaluated);
        return failures;
    }

    private void walk(JsonNode schemaNode, JsonNode value, String schemaPath, String path, List<Failure> failures,
            List<CrdSchema.Rule> evaluated) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        for (JsonNode v : schemaNode.path("x-kubernetes-validations")) {
            CrdSchema.Rule rule = new CrdSchema.Rule(schemaPath.isEmpty() ? "<root>" : schemaPath, v.path("rule").asText(),
                    v.path("message").asText());
            evaluated.add(rule);
            Object result;
            String error = null;
            try {
                result = compile(rule.rule()).eval(Map.of("self", toCel(value)));
            } catch (Exception e) {
                result = null;
                error = e.getMessage();
            }
            if (!Boolean.TRUE.equals(result)) {
                failures.add(new Failure(path.isEmpty() ? "<root>" : path, rule, error));
            }
        }
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> p : CrdSchema.iterable(schemaNode.path("properties"))) {
                walk(p.getValue(), value.get(p.getKey()), join(schemaPath, p.getKey()), join(path, p.getKey()), failures, evaluated);
            }
        } else if (value.isArray() && schemaNode.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(schemaNode.get("items"), value.get(i), schemaPath + "[]", path + "[" + i + "]", failures, evaluated);
            }
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "." + b;
    }

    /** JSON to CEL values: objects become maps, arrays lists, integers Long, other numbers Double. */
    static Object toCel(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    m.put(e.getKey(), toCel(e.getValue()));
                }
            });
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(toCel(x)));
            return l;
        }
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        return n.asText();
    }
}
