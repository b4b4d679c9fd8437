package io.streammix.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.streammix.operator.spec.InvalidSpecException;
import io.streammix.operator.spec.ResolvedSpec;
import io.streammix.worker.contract.WorkerReport;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything one reconcile learnt about a task, from which its status is derived.
 *
 * @param resolved          the accepted spec, empty when the spec is invalid
 * @param invalid           why the spec is invalid, empty when it is valid
 * @param workerExists      whether the worker Deployment exists
 * @param pod               the current worker pod, if the cluster has one
 * @param report            the worker's own report, empty when it could not be asked
 * @param unreachableReason why there is no report
 * @param now               the time of the observation
 * @param update            what became of the last update when the report cannot say it (see {@link SpecUpdate})
 * @param silentFor         how long the worker has not answered (zero when it answered)
 * @param silenceGrace      how long a mixing worker may stay silent before the task is Degraded
 */
public record Observation(Optional<ResolvedSpec> resolved,
                          Optional<InvalidSpecException> invalid,
                          boolean workerExists,
                          Optional<Pod> pod,
                          Optional<WorkerReport> report,
                          String unreachableReason,
                          Instant now,
                          Optional<SpecUpdate> update,
                          Duration silentFor,
                          Duration silenceGrace) {
    public static final Duration DEFAULT_SILENCE_GRACE = Duration.ofSeconds(30);

    public Observation(Optional<ResolvedSpec> resolved, Optional<InvalidSpecException> invalid, boolean workerExists,
                       Optional<Pod> pod, Optional<WorkerReport> report, String unreachableReason, Instant now,
                       Optional<SpecUpdate> update) {
        this(resolved, invalid, workerExists, pod, report, unreachableReason, now, update, Duration.ZERO, DEFAULT_SILENCE_GRACE);
    }

    public Observation(Optional<ResolvedSpec> resolved, Optional<InvalidSpecException> invalid, boolean workerExists,
                       Optional<Pod> pod, Optional<WorkerReport> report, String unreachableReason, Instant now) {
        this(resolved, invalid, workerExists, pod, report, unreachableReason, now, Optional.empty());
    }

    /** The worker has been silent longer than a mixing worker may be. */
    public boolean silentTooLong() {
        return report.isEmpty() && silentFor.compareTo(silenceGrace) >= 0;
    }
}
