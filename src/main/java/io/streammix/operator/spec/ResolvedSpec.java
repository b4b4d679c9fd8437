package io.streammix.operator.spec;

import io.streammix.api.v1alpha1.PlayInfo;
import io.streammix.worker.contract.SpecSubmission;

import java.util.List;

/**
 * A spec the operator accepted: what the worker gets (secrets resolved, stream ids turned into URLs)
 * and the play URLs of its outputs. The submission holds credentials: it goes into the task's Secret
 * and to the worker's control API, never into status, Events or logs.
 */
public record ResolvedSpec(SpecSubmission submission, List<PlayInfo> play) {

    /** The same, its submission stamped with its {@link SubmissionDigest} under the task's token. */
    public ResolvedSpec withDigest(String token) {
        return new ResolvedSpec(submission.withDigest(SubmissionDigest.of(submission, token)), play);
    }
}
