package io.streammix.worker.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.streammix.api.v1alpha1.MixTaskSpec;

import java.util.Map;

/**
 * Body of {@code PUT /spec} on the worker's control API, and the content of the {@code spec.json}
 * key of the per-task Secret the worker reads at start-up. Secret references ({@code urlFrom}) are
 * already resolved into {@code url} by the operator: the worker has no Kubernetes API access.
 *
 * @param generation        metadata.generation of the MixTask this spec comes from
 * @param spec              the spec, secrets resolved
 * @param uploadCredentials the S3 credentials of {@code outputs[].recording.upload} (read from the Secrets its
 *                          {@code accessKeyFrom} / {@code secretKeyFrom} name), by output name; they travel here, beside
 *                          the spec, because the spec is what status, diffs and Events are made of
 * @param digest            identifies the content (spec and credentials, not the generation): a keyed hash the
 *                          operator computes (see {@code SubmissionDigest}) and the worker echoes in its report, so
 *                          that a Secret value that changed under an unchanged spec is still pushed; null if unset
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SpecSubmission(long generation, MixTaskSpec spec, Map<String, S3Credentials> uploadCredentials, String digest) {

    public SpecSubmission {
        uploadCredentials = uploadCredentials == null ? Map.of() : Map.copyOf(uploadCredentials);
    }

    public SpecSubmission(long generation, MixTaskSpec spec, Map<String, S3Credentials> uploadCredentials) {
        this(generation, spec, uploadCredentials, null);
    }

    public SpecSubmission withDigest(String value) {
        return new SpecSubmission(generation, spec, uploadCredentials, value);
    }

    public SpecSubmission(long generation, MixTaskSpec spec) {
        this(generation, spec, Map.of());
    }

    /** An access key pair; {@link #toString()} never shows it. */
    public record S3Credentials(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "S3Credentials[redacted]";
        }
    }
}
