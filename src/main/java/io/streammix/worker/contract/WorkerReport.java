package io.streammix.worker.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a worker reports at {@code GET /status} of its control API; the operator turns it into the
 * MixTask status. This is the contract between the two roles: change it in both or not at all.
 *
 * @param state              Starting (not yet mixing), Running, Degraded (an input lost or an output reconnecting),
 *                           Failed, Stopping
 * @param startedAt          when this worker started mixing (RFC 3339), null before
 * @param mixDurationSeconds seconds this worker has been mixing
 * @param generation         the metadata.generation of the spec the worker runs
 * @param seq                the spec.seq of the spec the worker runs, if any
 * @param inputs             one per spec input, in spec order
 * @param outputs            one per spec output, in spec order
 * @param warnings           what the worker accepted but does not honour as written (e.g. HE-AAC encoded as AAC-LC)
 * @param lastUpdate         the outcome of the last spec submitted through {@code PUT /spec}, null if none
 * @param specDigest         the {@link SpecSubmission#digest()} of the submission the worker runs, echoed: tells the
 *                           operator whether values read from Secrets (a rotated stream key) reached the worker even
 *                           when the generation did not change; null when the submission carried none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerReport(
        String state,
        String startedAt,
        long mixDurationSeconds,
        long generation,
        Long seq,
        List<Input> inputs,
        List<Output> outputs,
        List<String> warnings,
        UpdateResult lastUpdate,
        String specDigest) {

    public WorkerReport(String state, String startedAt, long mixDurationSeconds, long generation, Long seq, List<Input> inputs,
                        List<Output> outputs, List<String> warnings, UpdateResult lastUpdate) {
        this(state, startedAt, mixDurationSeconds, generation, seq, inputs, outputs, warnings, lastUpdate, null);
    }

    public static final String STARTING = "Starting";
    public static final String RUNNING = "Running";
    public static final String DEGRADED = "Degraded";
    public static final String FAILED = "Failed";
    public static final String STOPPING = "Stopping";

    /**
     * @param state         Connecting, Live or Lost
     * @param reason        why it is not live; never a URL (URLs can carry stream keys)
     * @param lostSince     while Lost: when it was lost (RFC 3339); {@code since} moves with each new reason, this does not
     * @param nextAttemptAt while Lost: when the next reconnect attempt starts (RFC 3339), in the past while it is under way
     * @param attempts      while Lost: reconnect attempts made since the loss
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Input(String name, String state, String since, String reason, Double fps, String lostSince,
                        String nextAttemptAt, Integer attempts) {
        public static final String CONNECTING = "Connecting";
        public static final String LIVE = "Live";
        public static final String LOST = "Lost";

        public Input(String name, String state, String since, String reason, Double fps) {
            this(name, state, since, reason, fps, null, null, null);
        }
    }

    /**
     * @param state   Connecting, Live, Reconnecting or Failed
     * @param files   files written (recordings), oldest first; the last may still be open
     * @param uploads upload state of finished files, for recordings with {@code recording.upload}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(String name, String state, String since, String reason, Long bitrate, Long frames, List<String> files,
                         List<FileUpload> uploads) {
        public static final String CONNECTING = "Connecting";
        public static final String LIVE = "Live";
        public static final String RECONNECTING = "Reconnecting";
        public static final String FAILED = "Failed";

        public Output(String name, String state, String since, String reason, Long bitrate, Long frames, List<String> files) {
            this(name, state, since, reason, bitrate, frames, files, null);
        }
    }

    /**
     * One finished recording file on its way to S3-compatible storage.
     *
     * @param state    Pending, Uploading, Uploaded or Failed (after all retries)
     * @param object   where it goes: {@code s3://bucket/key}
     * @param attempts attempts so far
     * @param reason   why the last attempt failed; never contains credentials
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileUpload(String file, String state, String object, int attempts, String reason) {
        public static final String PENDING = "Pending";
        public static final String UPLOADING = "Uploading";
        public static final String UPLOADED = "Uploaded";
        public static final String FAILED = "Failed";
    }

    /**
     * @param result    Applied or Failed
     * @param appliedAt mix time (seconds, the outputs' timeline) of the first output frame that shows all of this update,
     *                  images included; null until the output clock drew it, and for a failed update
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UpdateResult(long generation, String result, String message, Double appliedAt) {
        public UpdateResult(long generation, String result, String message) {
            this(generation, result, message, null);
        }
    }
}
