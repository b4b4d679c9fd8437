package io.streammix.startmix;

import io.streammix.api.v1alpha1.MixTask;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** What the start-mix API reads from a stored task: the seq it has seen, how long it has run. */
final class StartMixTaskState {
    private StartMixTaskState() {
    }

    /**
     * How long the task has run, now: from status.startTime when the status has it (status.mixDuration is written
     * only every statusFiguresInterval, so it may be a minute old), else status.mixDuration.
     */
    static Long mixDuration(MixTask task) {
        var status = task.getStatus();
        if (status == null) {
            return null;
        }
        if (status.startTime != null) {
            try {
                long s = Duration.between(Instant.parse(status.startTime), Instant.now()).toSeconds();
                return Math.max(s, status.mixDuration == null ? 0 : status.mixDuration);
            } catch (DateTimeParseException e) {
                return status.mixDuration;
            }
        }
        return status.mixDuration;
    }

    /** The highest seq the task has seen: the one written, or the one its worker applied. */
    static Long lastSeq(MixTask task) {
        Long written = task.getSpec() == null ? null : task.getSpec().seq;
        Long applied = task.getStatus() == null ? null : task.getStatus().appliedSeq;
        if (written == null) {
            return applied;
        }
        return applied == null ? written : Long.valueOf(Math.max(written, applied));
    }

}
