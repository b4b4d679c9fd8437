package io.streammix.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Consumer;

/**
 * One admission test case: a change to the full example MixTask, and the field the API server and
 * the Java rules must both name when they refuse it ({@code null}: both must accept it).
 *
 * @param name          what the case shows, for the test report
 * @param mutate        changes the object (a deep copy of the base)
 * @param field         the field a Java {@link Violation} must start with, e.g. {@code spec.inputs[1].rect}
 * @param schemaKeyword for cases derived from the OpenAPI schema: the keyword that must fail (minimum, pattern, ...)
 */
public record AdmissionCase(String name, Consumer<ObjectNode> mutate, String field, String schemaKeyword) {
    public boolean valid() {
        return field == null;
    }

    @Override
    public String toString() {
        return name;
    }
}
