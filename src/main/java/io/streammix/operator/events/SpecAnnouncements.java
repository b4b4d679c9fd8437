package io.streammix.operator.events;

import io.streammix.api.diff.FieldChange;
import io.streammix.api.diff.SpecDiff;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.spec.ResolvedSpec;
import io.streammix.worker.contract.SpecSubmission;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One SpecChanged Event per accepted generation of a task, naming each changed field and its class. The last generation
 * announced is kept per task uid, because the Secret holding the last accepted spec may lag in the informer cache (the
 * next reconcile would announce the same generation again). One entry per task, whatever the number of edits; it goes
 * with the task ({@link #forget}).
 */
public final class SpecAnnouncements {
    private final TaskEvents events;
    private final Map<String, Long> announced = new ConcurrentHashMap<>();

    public SpecAnnouncements(TaskEvents events) {
        this.events = events;
    }

    /** Announces {@code resolved} if it is a new generation since {@code lastAccepted} and not announced yet. */
    public void changed(MixTask task, Optional<SpecSubmission> lastAccepted, ResolvedSpec resolved) {
        long generation = resolved.submission().generation();
        if (lastAccepted.isEmpty() || lastAccepted.get().generation() == generation) {
            return;
        }
        List<FieldChange> changes = SpecDiff.between(lastAccepted.get().spec(), resolved.submission().spec());
        Long before = announced.put(task.getMetadata().getUid(), generation);
        if (!changes.isEmpty() && !Long.valueOf(generation).equals(before)) {
            events.specChanged(task, generation, changes);
        }
    }

    /** The task is deleted. */
    public void forget(String uid) {
        announced.remove(uid);
    }

    /** Tasks with an announced generation (for tests). */
    public int size() {
        return announced.size();
    }
}
