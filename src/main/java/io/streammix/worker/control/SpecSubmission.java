package io.streammix.worker.control;

import io.streammix.api.v1alpha1.MixTaskSpec;

/**
 * Body of {@code PUT /spec} on the worker's control API, and the content of the {@code spec.json}
 * key of the per-task Secret the worker reads at start-up. Secret references ({@code urlFrom}) are
 * already resolved into {@code url} by the operator: the worker has no Kubernetes API access.
 *
 * @param generation metadata.generation of the MixTask this spec comes from
 * @param spec       the spec, secrets resolved
 */
public record SpecSubmission(long generation, MixTaskSpec spec) {
}
