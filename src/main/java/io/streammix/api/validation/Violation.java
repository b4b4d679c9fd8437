package io.streammix.api.validation;

/**
 * One broken rule: the field path in the resource (e.g. {@code spec.inputs[1].rect}) and the rule
 * in words. {@link #toString()} is the message users see in conditions and Events.
 */
public record Violation(String field, String rule) {
    @Override
    public String toString() {
        return field + ": " + rule;
    }
}
