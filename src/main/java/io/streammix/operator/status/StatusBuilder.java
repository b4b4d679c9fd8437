package io.streammix.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.streammix.api.v1alpha1.FileUploadStatus;
import io.streammix.api.v1alpha1.InputStatus;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.OutputStatus;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.api.v1alpha1.WorkerInfo;
import io.streammix.operator.spec.ResolvedSpec;
import io.streammix.worker.contract.WorkerReport;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Derives a task's status from what was observed: the worker's report above all (never guessed from
 * the spec), the worker pod for what the worker cannot say itself (crash loops, image pulls), and the
 * previous status for what must survive worker restarts (startTime, mixDuration).
 */
public final class StatusBuilder {
    /** Ready/Degraded reason of a mixing worker that has not answered for longer than the grace. */
    public static final String WORKER_UNREACHABLE = "WorkerUnreachable";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_FILES_LISTED = 20;
    static final int MAX_OPEN_UPLOADS_LISTED = 20;
    static final int MAX_DONE_UPLOADS_LISTED = 10;
    /** Container states in which the worker will not come up by itself. */
    private static final Set<String> STUCK = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
            "CreateContainerConfigError", "CreateContainerError", "InvalidImageName");

    private StatusBuilder() {
    }

    /** @param previous the task's last written status (the cached task's), null for a new task */
    public static MixTaskStatus build(MixTask task, MixTaskStatus previous, Observation seen) {
        MixTaskStatus old = previous == null ? new MixTaskStatus() : previous;
        MixTaskStatus s = JSON.convertValue(old, MixTaskStatus.class);
        if (s.conditions == null) {
            s.conditions = new ArrayList<>();
        }
        Long generation = task.getMetadata().getGeneration();
        s.observedGeneration = generation;
        Redactor r = Redactor.forTask(task, seen.resolved());
        String now = seen.now().truncatedTo(ChronoUnit.SECONDS).toString();
        // Play URLs of the spec the worker runs: an invalid edit keeps those of the last good spec.
        seen.resolved().map(ResolvedSpec::play).ifPresent(play -> s.play = play);
        s.worker = seen.pod().map(pod -> workerInfo(pod, old.worker)).orElse(seen.workerExists() ? s.worker : null);

        Optional<String> podProblem = seen.pod().flatMap(StatusBuilder::stuckReason);
        if (seen.report().isPresent()) {
            fromReport(s, seen.report().get(), seen.now(), r);
        } else if (podProblem.isPresent()) {
            s.phase = Phase.Failed;
        } else if (seen.workerExists() && samePodStillUp(old, seen)) {
            // A mixing worker that does not answer for a moment is still mixing (its outputs do not depend on
            // the operator); past the grace the task is Degraded, WorkerUnreachable. Never "Starting": nothing restarted.
            s.phase = seen.silentTooLong() ? Phase.Degraded : old.phase;
        } else if (seen.workerExists()) {
            s.phase = Phase.Starting;
        } else {
            s.phase = seen.invalid().isPresent() ? Phase.Failed : Phase.Pending;
        }
        setConditions(s, seen, podProblem, generation, now, r);
        return s;
    }

    /**
     * The task was mixing and its worker pod is, as far as the cluster shows, the same one and still ready: a missing
     * report is then the operator's problem of reaching it, not a new worker starting.
     */
    private static boolean samePodStillUp(MixTaskStatus old, Observation seen) {
        boolean wasMixing = old.phase == Phase.Running || old.phase == Phase.Degraded;
        if (!wasMixing) {
            return false;
        }
        if (seen.pod().isEmpty()) {
            return true;
        }
        Pod pod = seen.pod().get();
        boolean same = old.worker == null || old.worker.pod == null || old.worker.pod.equals(pod.getMetadata().getName());
        boolean ready = pod.getStatus() == null || pod.getStatus().getConditions() == null
                || pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .allMatch(c -> "True".equals(c.getStatus()));
        return same && ready;
    }

    private static void fromReport(MixTaskStatus s, WorkerReport report, Instant now, Redactor r) {
        s.phase = switch (report.state() == null ? "" : report.state()) {
            case WorkerReport.RUNNING -> Phase.Running;
            case WorkerReport.DEGRADED -> Phase.Degraded;
            case WorkerReport.FAILED -> Phase.Failed;
            default -> Phase.Starting;
        };
        s.appliedGeneration = report.generation();
        s.appliedSeq = report.seq();
        // Reports list inputs and outputs in spec order: the index names the field a Secret may feed.
        s.inputs = report.inputs() == null ? null : java.util.stream.IntStream.range(0, report.inputs().size())
                .mapToObj(i -> input(report.inputs().get(i), r, "spec.inputs[" + i + "]")).toList();
        s.outputs = report.outputs() == null ? null : java.util.stream.IntStream.range(0, report.outputs().size())
                .mapToObj(i -> output(report.outputs().get(i), r, "spec.outputs[" + i + "]")).toList();
        s.warnings = report.warnings() == null || report.warnings().isEmpty() ? null
                : report.warnings().stream().map(r::freeText).toList();
        if (s.startTime == null && report.startedAt() != null) {
            s.startTime = report.startedAt();
        }
        boolean mixing = s.phase == Phase.Running || s.phase == Phase.Degraded;
        if (mixing && s.startTime != null) {
            // Since the task first ran, across worker restarts; never backwards.
            long seconds = Math.max(0, secondsBetween(s.startTime, now));
            s.mixDuration = Math.max(seconds, s.mixDuration == null ? 0 : s.mixDuration);
        }
    }

    private static long secondsBetween(String start, Instant now) {
        try {
            return Duration.between(Instant.parse(start), now).getSeconds();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static void setConditions(MixTaskStatus s, Observation seen, Optional<String> podProblem, Long generation, String now,
                                      Redactor r) {
        List<String> lost = s.inputs == null ? List.of() : s.inputs.stream()
                .filter(i -> WorkerReport.Input.LOST.equals(i.state)).map(i -> i.name).toList();
        List<String> reconnecting = s.outputs == null ? List.of() : s.outputs.stream()
                .filter(o -> !WorkerReport.Output.LIVE.equals(o.state) && !WorkerReport.Output.CONNECTING.equals(o.state))
                .map(o -> o.name).toList();
        String degradedMessage = degradedMessage(lost, reconnecting);

        // SpecHonored: substitutions the worker made are a condition too, not only a list, so that tools watching
        // conditions (kubectl wait, Argo CD, alerts) see them.
        if (seen.report().isPresent()) {
            if (s.warnings == null || s.warnings.isEmpty()) {
                Conditions.set(s.conditions, Conditions.SPEC_HONORED, true, "AsSpecified", "the worker does what the spec says",
                        generation, now);
            } else {
                String all = String.join("; ", s.warnings);
                Conditions.set(s.conditions, Conditions.SPEC_HONORED, false, "WorkerWarnings",
                        all.length() > 1000 ? all.substring(0, 997) + "..." : all, generation, now);
            }
        }

        // Ready
        if (seen.invalid().isPresent()) {
            Conditions.set(s.conditions, Conditions.READY, false, "InvalidSpec", seen.invalid().get().getMessage(), generation, now);
        } else if (s.phase == Phase.Running) {
            Conditions.set(s.conditions, Conditions.READY, true, "Running", "the worker is mixing", generation, now);
        } else if (s.phase == Phase.Degraded && seen.silentTooLong()) {
            Conditions.set(s.conditions, Conditions.READY, false, WORKER_UNREACHABLE, unreachableMessage(seen, r), generation, now);
        } else if (s.phase == Phase.Degraded) {
            Conditions.set(s.conditions, Conditions.READY, false, "Degraded", degradedMessage, generation, now);
        } else if (s.phase == Phase.Failed) {
            String why = podProblem.orElse("the worker reported Failed");
            Conditions.set(s.conditions, Conditions.READY, false, "WorkerFailed", why, generation, now);
        } else if (seen.workerExists()) {
            String why = seen.report().isPresent() ? "the worker is starting" : r.text(seen.unreachableReason());
            Conditions.set(s.conditions, Conditions.READY, false, "WorkerStarting", why, generation, now);
        } else {
            Conditions.set(s.conditions, Conditions.READY, false, "Pending", "no worker yet", generation, now);
        }

        // Progressing: a worker on its way up, or a spec on its way to the worker.
        boolean stale = seen.update().filter(u -> SpecUpdate.STALE_SEQ.equals(u.reason())).isPresent();
        boolean behind = seen.resolved().isPresent() && !stale && !Objects.equals(s.appliedGeneration, generation);
        if (s.phase == Phase.Pending || s.phase == Phase.Starting) {
            Conditions.set(s.conditions, Conditions.PROGRESSING, true, "WorkerStarting", "waiting for the worker to mix", generation, now);
        } else if (behind && s.phase != Phase.Failed) {
            Conditions.set(s.conditions, Conditions.PROGRESSING, true, "ApplyingSpec",
                    "the worker runs generation " + s.appliedGeneration, generation, now);
        } else {
            Conditions.set(s.conditions, Conditions.PROGRESSING, false, "Stable", "", generation, now);
        }

        // Degraded
        if (s.phase == Phase.Degraded && seen.silentTooLong()) {
            Conditions.set(s.conditions, Conditions.DEGRADED, true, WORKER_UNREACHABLE, unreachableMessage(seen, r), generation, now);
        } else if (s.phase == Phase.Degraded) {
            String reason = lost.isEmpty() ? "OutputReconnecting" : "InputLost";
            Conditions.set(s.conditions, Conditions.DEGRADED, true, reason, degradedMessage, generation, now);
        } else {
            Conditions.set(s.conditions, Conditions.DEGRADED, false, "AsExpected", "", generation, now);
        }

        // SpecApplied: the outcome of the last update, with what the worker did (live, outputs restarted).
        WorkerReport.UpdateResult last = seen.report().map(WorkerReport::lastUpdate).orElse(null);
        Optional<SpecUpdate> update = seen.update();
        boolean lastIsThis = last != null && Objects.equals(last.generation(), generation);
        if (seen.invalid().isPresent()) {
            Conditions.set(s.conditions, Conditions.SPEC_APPLIED, false, "InvalidSpec",
                    seen.invalid().get().getMessage(), generation, now);
        } else if (update.filter(u -> SpecUpdate.STALE_SEQ.equals(u.reason())).isPresent()) {
            Conditions.set(s.conditions, Conditions.SPEC_APPLIED, false, SpecUpdate.STALE_SEQ, update.get().message(), generation, now);
        } else if (Objects.equals(s.appliedGeneration, generation)) {
            String done = lastIsThis && "Applied".equals(last.result()) && last.message() != null ? ": " + last.message() : "";
            Conditions.set(s.conditions, Conditions.SPEC_APPLIED, true, "Applied",
                    "generation " + generation + " applied" + r.freeText(done), generation, now);
        } else if (lastIsThis && "Failed".equals(last.result())) {
            Conditions.set(s.conditions, Conditions.SPEC_APPLIED, false, "Invalid",
                    "the worker refused generation " + generation + ": " + r.freeText(last.message()), generation, now);
        } else if (update.isPresent()) {
            Conditions.set(s.conditions, Conditions.SPEC_APPLIED, false, update.get().reason(), r.text(update.get().message()),
                    generation, now);
        } else {
            Conditions.set(s.conditions, Conditions.SPEC_APPLIED, false, "Pending", "not yet applied by the worker", generation, now);
        }
    }

    private static String unreachableMessage(Observation seen, Redactor r) {
        return "the worker has not answered for " + seen.silentFor().toSeconds() + " s: " + r.text(seen.unreachableReason());
    }

    private static String degradedMessage(List<String> lost, List<String> reconnecting) {
        List<String> parts = new ArrayList<>();
        if (!lost.isEmpty()) {
            parts.add("input " + quoted(lost) + " lost");
        }
        if (!reconnecting.isEmpty()) {
            parts.add("output " + quoted(reconnecting) + " not live");
        }
        return parts.isEmpty() ? "the worker reported Degraded" : String.join("; ", parts);
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    private static InputStatus input(WorkerReport.Input in, Redactor r, String field) {
        InputStatus s = new InputStatus();
        s.name = in.name();
        s.state = in.state();
        s.since = in.since();
        s.reason = r.text(field, in.reason());
        s.fps = in.fps();
        s.lostSince = in.lostSince();
        s.nextAttemptAt = in.nextAttemptAt();
        s.attempts = in.attempts();
        return s;
    }

    private static OutputStatus output(WorkerReport.Output out, Redactor r, String field) {
        OutputStatus s = new OutputStatus();
        s.name = out.name();
        s.state = out.state();
        s.since = out.since();
        s.reason = r.text(field, out.reason());
        s.bitrate = out.bitrate();
        s.frames = out.frames();
        if (out.files() != null) {
            // The files of an output fed from a Secret are named after the Secret's value: counted, never listed.
            s.files = r.fromSecret(field) ? null : latest(out.files(), MAX_FILES_LISTED).stream().map(r::values).toList();
            s.filesTotal = (long) out.files().size();
        }
        if (out.uploads() != null) {
            s.uploads = listedUploads(out.uploads()).stream().map(u -> upload(u, r, field)).toList();
            s.uploadTotals = out.uploads().stream().collect(Collectors.groupingBy(WorkerReport.FileUpload::state,
                    java.util.TreeMap::new, Collectors.counting()));
        }
        return s;
    }

    /**
     * A recording that rotates every minute writes 1440 files a day, and a status object must stay far below
     * etcd's size limit: list what needs attention (files not yet uploaded) and the latest done, count the rest.
     */
    private static List<WorkerReport.FileUpload> listedUploads(List<WorkerReport.FileUpload> all) {
        List<WorkerReport.FileUpload> open = all.stream().filter(u -> !WorkerReport.FileUpload.UPLOADED.equals(u.state())).toList();
        List<WorkerReport.FileUpload> done = all.stream().filter(u -> WorkerReport.FileUpload.UPLOADED.equals(u.state())).toList();
        Set<WorkerReport.FileUpload> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        keep.addAll(latest(open, MAX_OPEN_UPLOADS_LISTED));
        keep.addAll(latest(done, MAX_DONE_UPLOADS_LISTED));
        return all.stream().filter(keep::contains).toList();
    }

    private static <T> List<T> latest(List<T> items, int max) {
        return items.size() <= max ? items : List.copyOf(items.subList(items.size() - max, items.size()));
    }

    private static FileUploadStatus upload(WorkerReport.FileUpload u, Redactor r, String field) {
        FileUploadStatus s = new FileUploadStatus();
        boolean secret = r.fromSecret(field);
        s.file = secret ? null : r.values(u.file());
        s.state = u.state();
        s.object = secret ? null : r.values(u.object());
        s.attempts = u.attempts();
        s.reason = r.text(field, u.reason());
        return s;
    }

    /** @param before the worker as the last status showed it: its node is kept as previousNode while the pod has none */
    private static WorkerInfo workerInfo(Pod pod, WorkerInfo before) {
        WorkerInfo w = new WorkerInfo();
        w.pod = pod.getMetadata().getName();
        List<ContainerStatus> statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        w.restarts = statuses == null ? 0 : statuses.stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
        w.image = pod.getSpec() == null || pod.getSpec().getContainers().isEmpty() ? null : pod.getSpec().getContainers().get(0).getImage();
        w.node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (w.node == null && before != null) {
            // A replacement not yet scheduled: a status written now must not lose where the worker ran, or the move to
            // the new node would show as null -> node and no WorkerMoved (seen after a fast failover).
            w.previousNode = before.node != null ? before.node : before.previousNode;
        }
        return w;
    }

    /** Why the worker pod will not come up by itself, if it will not. */
    static Optional<String> stuckReason(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        if ("Failed".equals(pod.getStatus().getPhase())) {
            return Optional.of("worker pod failed: " + Objects.toString(pod.getStatus().getReason(), "unknown reason"));
        }
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        if (statuses == null) {
            return Optional.empty();
        }
        return statuses.stream()
                .filter(c -> c.getState() != null && c.getState().getWaiting() != null)
                .map(c -> c.getState().getWaiting().getReason())
                .filter(STUCK::contains)
                .findFirst()
                .map(reason -> "worker container is in " + reason);
    }
}
