package io.streammix.operator.events;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.streammix.api.diff.FieldChange;
import io.streammix.api.v1alpha1.InputStatus;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.spec.ResolvedSpec;
import io.streammix.operator.status.Conditions;
import io.streammix.operator.status.Redactor;
import io.streammix.operator.status.StatusBuilder;
import io.streammix.worker.contract.WorkerReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kubernetes Events for a task's transitions. Each is derived from the difference between the status
 * before and after a reconcile, so it is emitted once per occurrence however often the task is
 * reconciled, and an operator restart does not repeat it (the old status is in the cluster).
 */
@ApplicationScoped
public class TaskEvents {
    private static final Logger LOG = Logger.getLogger(TaskEvents.class);
    static final String COMPONENT = "mixtask-operator";

    private final KubernetesClient client;

    public TaskEvents(KubernetesClient client) {
        this.client = client;
    }

    public void workerCreated(MixTask task, String deployment) {
        emit(task, "Normal", "WorkerCreated", "Created worker " + deployment);
    }

    public void workerRestarting(MixTask task, String deployment) {
        emit(task, "Normal", "WorkerRestarting", "Replacing worker " + deployment + " (image, resources, scheduling or bypass changed)");
    }

    /** The running worker pod got the resources sized from the current spec without a restart (in-place resize). */
    public void workerResized(MixTask task, String pod, String from, String to) {
        emit(task, "Normal", "WorkerResized", "Resized worker pod " + pod + " in place, no restart: " + from + " -> " + to);
    }

    /**
     * The spec's cost changed but the running pod could not be resized in place: the worker keeps its resources until
     * it restarts, or is restarted now when the task accepts it ({@code restarting}).
     */
    public void workerRestartNeeded(MixTask task, String to, String why, boolean restarting) {
        emit(task, "Warning", "WorkerRestartNeeded", "The spec now sizes the worker at " + to + " but its pod was not resized "
                + "in place (" + why + "): " + (restarting ? "restarting the worker (annotation streammix.io/resize: restart)"
                : "it keeps its resources until it restarts; annotate the task streammix.io/resize=restart to restart it now"));
    }

    /**
     * A new spec accepted for a running task: each changed field and what it costs, in the words of the model,
     * e.g. {@code generation 3: inputs[1].rect: live, outputs[0].video.fps: output restart}. Paths only,
     * never values (a URL may carry a key).
     */
    public void specChanged(MixTask task, long generation, List<FieldChange> changes) {
        String fields = changes.stream().map(FieldChange::toString).collect(java.util.stream.Collectors.joining(", "));
        emit(task, "Normal", "SpecChanged", "generation " + generation + ": " + fields);
    }

    /**
     * A value read from a Secret ({@code urlFrom}, upload keys) changed under an unchanged spec and the worker took it;
     * the message says what it did (which outputs it reopened), never the values.
     */
    public void secretValuesApplied(MixTask task, WorkerReport.UpdateResult result, Optional<ResolvedSpec> resolved) {
        String done = result == null || result.message() == null ? ""
                : ": " + Redactor.forTask(task, resolved).freeText(result.message());
        emit(task, "Normal", "SecretValuesApplied", "values read from Secrets changed; the worker applied them" + done);
    }

    /** Pushes of a spec failed too often: the worker is replaced and will read the spec from its Secret. */
    public void pushEscalated(MixTask task, long generation, int attempts, String why, Optional<ResolvedSpec> resolved) {
        emit(task, "Warning", "WorkerRestarting", "generation " + generation + " could not be pushed to the worker (" + attempts
                + " attempts, last: " + Redactor.forTask(task, resolved).freeText(why)
                + "); replacing the worker, which reads the spec at start-up");
    }

    /** Fast failover: the worker's node stopped answering, the worker is replaced on another node. */
    public void workerFailover(MixTask task, String node, String pod) {
        emit(task, "Warning", "WorkerFailover", "Node " + node + " and worker pod " + pod + " stopped answering (fast failover):"
                + " replacing the worker on another node");
    }

    /** Events for what changed between two statuses of the same task. */
    public void transitions(MixTask task, MixTaskStatus before, MixTaskStatus after) {
        Phase was = before == null ? null : before.phase;
        if (after.phase != was) {
            // One line per phase change (kubectl logs of the operator): the Ready condition's reason, never its message,
            // which may quote a worker's words.
            String reason = Conditions.find(after.conditions, Conditions.READY).map(Condition::getReason).orElse("-");
            LOG.infof("task %s/%s: phase %s -> %s (Ready reason %s)", task.getMetadata().getNamespace(),
                    task.getMetadata().getName(), was == null ? "none" : was, after.phase, reason);
        }
        if (after.phase == Phase.Running && was != Phase.Running) {
            emit(task, "Normal", "Running", was == Phase.Degraded ? "The mix recovered" : "The worker is mixing");
        }
        if (unreachable(after).isPresent() && unreachable(before).isEmpty()) {
            emit(task, "Warning", StatusBuilder.WORKER_UNREACHABLE, unreachable(after).get().getMessage());
        }
        // The node it last ran on: a status written while a replacement pod had no node keeps it as previousNode.
        String nodeBefore = before == null || before.worker == null ? null
                : before.worker.node != null ? before.worker.node : before.worker.previousNode;
        String nodeAfter = after.worker == null ? null : after.worker.node;
        if (nodeBefore != null && nodeAfter != null && !nodeBefore.equals(nodeAfter)) {
            emit(task, "Warning", "WorkerMoved", "The worker moved from node " + nodeBefore + " to node " + nodeAfter
                    + " (pod " + after.worker.pod + ")");
        }
        if (after.phase == Phase.Failed && was != Phase.Failed) {
            emit(task, "Warning", "WorkerFailed", readyMessage(after).orElse("the worker failed"));
        }
        for (InputStatus input : Optional.ofNullable(after.inputs).orElse(List.of())) {
            if (WorkerReport.Input.LOST.equals(input.state) && !WorkerReport.Input.LOST.equals(stateOf(before, input.name))) {
                String why = input.reason == null ? "" : ": " + Redactor.redact(input.reason);
                emit(task, "Warning", "InputLost", "Input '" + input.name + "' lost" + why);
            }
        }
        // The outcome of a spec update, once per new outcome (refused, failed push, applied).
        Optional<Condition> appliedNow = Conditions.find(after.conditions, Conditions.SPEC_APPLIED);
        Optional<String> appliedBefore = before == null ? Optional.empty()
                : Conditions.find(before.conditions, Conditions.SPEC_APPLIED).map(c -> c.getReason() + "|" + c.getMessage());
        if (appliedNow.isPresent() && !appliedBefore.equals(appliedNow.map(c -> c.getReason() + "|" + c.getMessage()))) {
            Condition c = appliedNow.get();
            switch (c.getReason()) {
                case "StaleSeq", "Invalid", "PushFailed" -> emit(task, "Warning", c.getReason(), c.getMessage());
                case "Applied" -> {
                    if (before != null && before.appliedGeneration != null && !before.appliedGeneration.equals(after.appliedGeneration)) {
                        emit(task, "Normal", "SpecApplied", c.getMessage());
                    }
                }
                default -> {
                }
            }
        }
        Optional<Condition> invalidNow = invalidSpec(after);
        if (invalidNow.isPresent() && !Objects.equals(invalidNow.map(Condition::getMessage), invalidSpec(before).map(Condition::getMessage))) {
            emit(task, "Warning", "InvalidSpec", invalidNow.get().getMessage() + "; the worker keeps its last good spec");
        }
    }

    private static Optional<Condition> unreachable(MixTaskStatus status) {
        return status == null ? Optional.empty()
                : Conditions.find(status.conditions, Conditions.READY).filter(c -> StatusBuilder.WORKER_UNREACHABLE.equals(c.getReason()));
    }

    private static Optional<Condition> invalidSpec(MixTaskStatus status) {
        return status == null ? Optional.empty()
                : Conditions.find(status.conditions, Conditions.READY).filter(c -> "InvalidSpec".equals(c.getReason()));
    }

    private static Optional<String> readyMessage(MixTaskStatus status) {
        return Conditions.find(status.conditions, Conditions.READY).map(Condition::getMessage);
    }

    private static String stateOf(MixTaskStatus status, String input) {
        if (status == null || status.inputs == null) {
            return null;
        }
        return status.inputs.stream().filter(i -> Objects.equals(i.name, input)).map(i -> i.state).findFirst().orElse(null);
    }

    /** Package-private for tests that record what would be emitted. */
    void emit(MixTask task, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String namespace = task.getMetadata().getNamespace();
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(task.getMetadata().getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(task.getApiVersion())
                        .withKind(task.getKind())
                        .withName(task.getMetadata().getName())
                        .withNamespace(namespace)
                        .withUid(task.getMetadata().getUid())
                        .build())
                .withType(type)
                .withReason(reason)
                // Messages are the operator's own words, texts from a status StatusBuilder redacted by field, or worker
                // texts the caller passed through the task's Redactor (issue 21: by value, never by the look of the text).
                .withMessage(Redactor.redact(message))
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent("streammix.io/" + COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            // An Event is a courtesy: losing one must not fail the reconcile.
            LOG.warnf("could not record event %s for %s/%s: %s", reason, namespace, task.getMetadata().getName(), e.getMessage());
        }
    }
}
