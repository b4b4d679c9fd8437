package io.streammix.api;

import io.streammix.api.v1alpha1.MixTaskSpec;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spec field declares what changing it costs a running task ({@link SpecChange}), and its CRD
 * description says the same in words, so `kubectl explain` never lies about what an edit does.
 */
class SpecChangeClassificationTest {

    @Test
    void everySpecFieldHasAClassAndItsDescriptionStatesIt() {
        List<String> problems = new ArrayList<>();
        walk(MixTaskSpec.class, "spec", problems);
        assertThat(problems).isEmpty();
    }

    /** Nested model types as the walker meets them: a list of objects, one field forgotten deep inside. */
    static class Outer {
        @JsonPropertyDescription("Items. Changes live.")
        @SpecChange(ChangeClass.LIVE)
        public List<Inner> items;
    }

    static class Inner {
        @JsonPropertyDescription("A value.")
        public String value;

        @JsonPropertyDescription("Another. Changing it restarts the worker.")
        @SpecChange(ChangeClass.LIVE)
        public String other;
    }

    @Test
    void theWalkerFindsAFieldWithoutAClassInsideAList() {
        List<String> problems = new ArrayList<>();
        walk(Outer.class, "spec", problems);
        assertThat(problems).containsExactlyInAnyOrder("spec.items.value: no @SpecChange",
                "spec.items.other: description does not state 'live'");
    }

    private static void walk(Class<?> type, String path, List<String> problems) {
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            String at = path + "." + f.getName();
            SpecChange change = f.getAnnotation(SpecChange.class);
            JsonPropertyDescription doc = f.getAnnotation(JsonPropertyDescription.class);
            if (change == null) {
                problems.add(at + ": no @SpecChange");
            }
            if (doc == null) {
                problems.add(at + ": no description");
            } else if (change != null && !describes(doc.value(), change.value())) {
                problems.add(at + ": description does not state '" + change.value().label() + "'");
            }
            Class<?> next = elementType(f);
            if (next.getPackageName().startsWith("io.streammix.api") && !next.isEnum()) {
                walk(next, at, problems);
            }
        }
    }

    private static boolean describes(String doc, ChangeClass c) {
        return switch (c) {
            case LIVE -> doc.contains("live");
            case OUTPUT_RESTART -> doc.contains("restarts this output") || doc.contains("restarts only that output")
                    || doc.contains("restarts the outputs concerned") || doc.contains("restarts this output for");
            case WORKER_RESTART -> doc.contains("restarts the worker");
        };
    }

    private static Class<?> elementType(Field f) {
        Type t = f.getGenericType();
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return f.getType();
    }
}
