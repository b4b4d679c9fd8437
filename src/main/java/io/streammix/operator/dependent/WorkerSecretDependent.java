package io.streammix.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The task's Secret: its control token (random, generated once and then kept) and {@code spec.json},
 * the last accepted spec with secrets resolved, which a (re)started worker reads at start-up.
 */
public class WorkerSecretDependent extends WorkerDependent<Secret> {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final SecureRandom RANDOM = new SecureRandom();

    public WorkerSecretDependent() {
        super(Secret.class);
    }

    @Override
    protected Secret desired(MixTask task, Context<MixTask> context) {
        WorkerPlan plan = WorkerPlan.from(context);
        String specJson;
        try {
            specJson = JSON.writeValueAsString(plan.resolved().submission());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec always serializes", e);
        }
        return new SecretBuilder()
                .withNewMetadata()
                .withName(WorkerNames.workerName(task))
                .withNamespace(task.getMetadata().getNamespace())
                .withLabels(WorkerNames.labels(task))
                .withAnnotations(new HashMap<>())
                .endMetadata()
                .withType("Opaque")
                .withData(new HashMap<>(Map.of(
                        ControlApi.SECRET_TOKEN_KEY, encode(plan.token()),
                        ControlApi.SECRET_SPEC_KEY, encode(specJson))))
                .build();
    }

    @Override
    protected boolean sameAs(Secret actual, Secret desired) {
        return Objects.equals(actual.getData(), desired.getData());
    }

    /**
     * The spec the task's Secret holds: the last one the operator accepted, with its generation. Live updates
     * are diffed against it, so it is what the operator needs to remember across its own restarts (nothing of
     * the spec is copied into status). Empty for a new task or an unreadable Secret.
     */
    public static Optional<SpecSubmission> submissionOf(Optional<Secret> existing) {
        return existing.map(s -> s.getData() == null ? null : s.getData().get(ControlApi.SECRET_SPEC_KEY))
                .flatMap(v -> {
                    try {
                        return Optional.of(JSON.readValue(Base64.getDecoder().decode(v), SpecSubmission.class));
                    } catch (java.io.IOException | IllegalArgumentException e) {
                        return Optional.empty();
                    }
                });
    }

    /** The token of an existing Secret, or a new random one (256 bits) for a new task. */
    public static String tokenOf(Optional<Secret> existing) {
        return existing.map(s -> s.getData() == null ? null : s.getData().get(ControlApi.SECRET_TOKEN_KEY))
                .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8))
                .orElseGet(WorkerSecretDependent::newToken);
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
