package io.streammix.operator.sizing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.events.TaskEvents;
import io.streammix.operator.worker.WorkerNames;

import java.util.Map;
import java.util.Optional;

/**
 * Keeps a running worker sized to its task's current spec. The Deployment is never rewritten for it (that would
 * restart the mix): the pod is resized in place ({@link InPlaceResize}, Event WorkerResized); where the cluster
 * refuses, an Event WorkerRestartNeeded says so, and the worker is restarted with the new figures only when the task
 * carries the annotation {@code streammix.io/resize: restart} (the user accepts a restart of the mix for it).
 *
 * <p>Called from reconcile threads, after the worker's resources are up to date and when no replacement is under way.
 */
public final class WorkerResizer {
    /** On a MixTask, {@code restart}: a cost change the cluster cannot resize in place restarts the worker. */
    public static final String RESIZE_ANNOTATION = "streammix.io/resize";
    public static final String RESTART = "restart";

    private final WorkerSizing sizing;
    private final TaskEvents events;
    private final InPlaceResize resize = new InPlaceResize();

    public WorkerResizer(WorkerSizing sizing, TaskEvents events) {
        this.sizing = sizing;
        this.events = events;
    }

    /**
     * Resizes container {@code container} of the task's running pod when its size differs from what the spec now needs.
     *
     * @return a restart token for the pod template when the worker must be replaced to take its new size (the task
     *         accepts it), else empty
     */
    public Optional<String> follow(MixTask task, KubernetesClient client, Optional<Pod> pod, String container) {
        Optional<ResourceRequirements> wanted = sizing.forTask(task);
        if (wanted.isEmpty() || pod.isEmpty()) {
            return Optional.empty();
        }
        InPlaceResize.Outcome outcome = resize.apply(client, pod.get(), container, wanted.get());
        switch (outcome.kind()) {
            case RESIZED -> events.workerResized(task, pod.get().getMetadata().getName(), outcome.from(), outcome.to());
            case RESTART_NEEDED -> {
                boolean accepted = RESTART.equals(annotations(task).get(RESIZE_ANNOTATION));
                events.workerRestartNeeded(task, outcome.to(), outcome.why(), accepted);
                if (accepted) {
                    // Derived from the figures: the same refusal seen again (an operator restart) asks for no second restart.
                    return Optional.of("resize-" + WorkerNames.sha256Hex(outcome.to()).substring(0, 12));
                }
            }
            default -> {
            }
        }
        return Optional.empty();
    }

    /** A worker pod left the cache (its task deleted, or the pod replaced): what was reported about it goes. */
    public void podGone(String podUid) {
        resize.forget(podUid);
    }

    /** Pods whose last resize outcome is remembered (for tests). */
    public int remembered() {
        return resize.size();
    }

    private static Map<String, String> annotations(MixTask task) {
        return task.getMetadata().getAnnotations() == null ? Map.of() : task.getMetadata().getAnnotations();
    }
}
