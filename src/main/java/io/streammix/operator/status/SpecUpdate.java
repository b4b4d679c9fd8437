package io.streammix.operator.status;

/**
 * What became of the last spec update when the worker's report alone cannot say it: refused by the operator
 * because its seq goes back, or not delivered (the push failed, or the worker is being replaced). It decides
 * the SpecApplied condition's reason and message.
 *
 * @param reason  {@link #STALE_SEQ}, {@link #PUSH_FAILED} or {@link #WORKER_RESTARTING}
 * @param message for status and Events: names fields and numbers, never values from the spec
 */
public record SpecUpdate(String reason, String message) {
    public static final String STALE_SEQ = "StaleSeq";
    public static final String PUSH_FAILED = "PushFailed";
    public static final String WORKER_RESTARTING = "WorkerRestarting";
}
