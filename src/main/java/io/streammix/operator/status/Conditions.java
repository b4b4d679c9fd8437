package io.streammix.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Kubernetes-style conditions: {@code lastTransitionTime} moves only when the status (True/False) changes. */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String SPEC_APPLIED = "SpecApplied";
    /**
     * False (reason {@code WorkerWarnings}) while the worker does something other than the spec says and says so in
     * {@code status.warnings}: HE-AAC encoded as AAC-LC, an image that does not load, an unknown extra parameter.
     */
    public static final String SPEC_HONORED = "SpecHonored";

    private Conditions() {
    }

    public static void set(List<Condition> conditions, String type, boolean status, String reason, String message,
                           Long generation, String now) {
        String value = status ? "True" : "False";
        Optional<Condition> existing = find(conditions, type);
        String since = existing.filter(c -> value.equals(c.getStatus())).map(Condition::getLastTransitionTime).orElse(now);
        Condition condition = new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build();
        existing.ifPresent(conditions::remove);
        conditions.add(condition);
        conditions.sort((a, b) -> order(a.getType()) - order(b.getType()));
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
    }

    /** A stable order, so rewriting the same conditions is no change. */
    private static int order(String type) {
        return switch (type) {
            case READY -> 0;
            case PROGRESSING -> 1;
            case DEGRADED -> 2;
            case SPEC_APPLIED -> 3;
            default -> 4;
        };
    }
}
