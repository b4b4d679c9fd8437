package io.streammix.api.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streammix.api.crd.CelRuleEvaluator;
import io.streammix.api.crd.CrdSchema;
import io.streammix.api.crd.OpenApiSchemaValidator;
import io.streammix.api.v1alpha1.MixTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the generated CRD (OpenAPI schema with a JSON-schema library, CEL rules with cel-java) and
 * the Java {@link SpecValidator} with the same cases: both must accept the valid ones, and both must
 * refuse the invalid ones, naming the same field.
 */
class AdmissionRulesTest {
    static final CrdSchema CRD = CrdSchema.committed();
    static final OpenApiSchemaValidator SCHEMA = new OpenApiSchemaValidator(CRD.openApiSchema());
    static final CelRuleEvaluator CEL = new CelRuleEvaluator(CRD.openApiSchema());
    static final ObjectMapper JSON = new ObjectMapper();

    static Stream<AdmissionCase> handWritten() {
        return AdmissionCases.handWritten().stream();
    }

    static Stream<AdmissionCase> derived() {
        return AdmissionCases.derivedFromSchema(CRD.openApiSchema(), AdmissionCases.base()).stream();
    }

    /** What admission (schema + CEL) and the Java rules say of one case. */
    record Verdict(List<OpenApiSchemaValidator.Failure> schema, List<CelRuleEvaluator.Failure> cel, List<String> java) {
        boolean crdRefuses() {
            return !schema.isEmpty() || !cel.isEmpty();
        }
    }

    static Verdict judge(AdmissionCase c, List<CrdSchema.Rule> evaluated) {
        ObjectNode object = AdmissionCases.base().deepCopy();
        c.mutate().accept(object);
        return new Verdict(SCHEMA.validate(object), CEL.evaluate(object, evaluated), javaViolations(object));
    }

    /** Deserialization errors count as refusals too (an unknown enum value never reaches the validator). */
    static List<String> javaViolations(ObjectNode object) {
        try {
            MixTask task = JSON.treeToValue(object, MixTask.class);
            return SpecValidator.validate(task.getSpec()).stream().map(Violation::toString).toList();
        } catch (JsonMappingException e) {
            StringBuilder field = new StringBuilder();
            for (JsonMappingException.Reference r : e.getPath()) {
                field.append(r.getFieldName() != null ? (field.isEmpty() ? "" : ".") + r.getFieldName() : "[" + r.getIndex() + "]");
            }
            return List.of(field + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"handWritten", "derived"})
    void crdAndJavaRulesAgree(AdmissionCase c) {
        Verdict v = judge(c, new ArrayList<>());
        if (c.valid()) {
            assertThat(v.schema()).as("schema failures").isEmpty();
            assertThat(v.cel()).as("CEL failures").isEmpty();
            assertThat(v.java()).as("Java violations").isEmpty();
            return;
        }
        assertThat(v.crdRefuses()).as("the CRD refuses it").isTrue();
        assertThat(v.java()).as("the Java rules refuse it naming " + c.field())
                .anySatisfy(msg -> assertThat(msg).startsWith(c.field()));
        if (c.schemaKeyword() != null) {
            String pointer = "/" + c.field().replaceAll("\\[(\\d+)]", "/$1").replace('.', '/');
            assertThat(v.schema()).as("schema keyword " + c.schemaKeyword() + " fails")
                    .anySatisfy(f -> {
                        assertThat(f.keyword()).isEqualTo(c.schemaKeyword());
                        assertThat(pointer).startsWith(f.instancePath());
                    });
        }
    }

    @Test
    void everyCelRuleCompilesHoldsOnTheFullExampleAndFailsInSomeCase() {
        List<CrdSchema.Rule> all = CRD.rules();
        assertThat(all).hasSizeGreaterThanOrEqualTo(8);
        all.forEach(r -> CEL.compile(r.rule()));

        List<CrdSchema.Rule> evaluated = new ArrayList<>();
        Set<CrdSchema.Rule> failed = new HashSet<>();
        for (AdmissionCase c : AdmissionCases.handWritten()) {
            Verdict v = judge(c, evaluated);
            v.cel().forEach(f -> failed.add(f.rule()));
            if (!c.valid()) {
                // Each hand-written case targets a CEL rule: the CEL part alone must refuse it.
                assertThat(v.cel()).as(c.name() + ": refused by a CEL rule").isNotEmpty();
                assertThat(v.cel()).as(c.name() + ": no evaluation error").allSatisfy(f -> assertThat(f.error()).isNull());
            }
        }
        assertThat(new HashSet<>(evaluated)).as("every rule was evaluated on a passing object").containsAll(all);
        assertThat(failed).as("every rule has a failing case").containsExactlyInAnyOrderElementsOf(new HashSet<>(all));
    }

    @Test
    void everySchemaConstraintOfOursHasADerivedCase() {
        List<AdmissionCase> derived = derived().toList();
        // If the base example loses a field, its constraints silently lose their cases: keep a floor.
        assertThat(derived).hasSizeGreaterThanOrEqualTo(60);
        assertThat(derived).extracting(AdmissionCase::schemaKeyword)
                .contains("maximum", "minimum", "maxLength", "minLength", "pattern", "enum", "maxItems", "minItems", "required");
    }
}
