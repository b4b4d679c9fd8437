package io.streammix.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.cache.PrunedItemStore;
import io.streammix.operator.events.SpecAnnouncements;
import io.streammix.operator.metrics.OperatorMetrics;
import io.streammix.operator.sizing.WorkerResizer;
import io.streammix.operator.worker.PushRetries;
import io.streammix.operator.worker.WorkerSilence;

import java.util.Map;
import java.util.Objects;

/**
 * Keeps the reconciler's in-memory state per task (a silent worker's silence, a failing push's retries, the last
 * SpecChanged generation announced, the task's metric series) and per worker pod (the last resize reported) no longer
 * than its task or pod. JOSDK calls no reconcile for a deleted task (the operator sets no finalizer), so the deletion is
 * learnt from the informer's store ({@link PrunedItemStore#onRemoved}); a reconcile that was under way when its task
 * went may write after that, so it looks again when it ends ({@link #forgetIfGone}).
 */
final class TaskMemory {
    private final WorkerSilence silence;
    private final PushRetries retries;
    private final SpecAnnouncements announced;
    private final WorkerResizer resizer;
    private final OperatorMetrics metrics;
    private volatile ItemStore<MixTask> tasks;

    TaskMemory(WorkerSilence silence, PushRetries retries, SpecAnnouncements announced, WorkerResizer resizer,
               OperatorMetrics metrics) {
        this.silence = silence;
        this.retries = retries;
        this.announced = announced;
        this.resizer = resizer;
        this.metrics = metrics;
    }

    /** Follows removals from the task informer's store (if it is ours) and the worker pod informer's. */
    void follow(ItemStore<MixTask> taskStore, PrunedItemStore<Pod> pods) {
        if (taskStore instanceof PrunedItemStore<MixTask> pruned) {
            pruned.onRemoved(this::forget);
            tasks = taskStore;
        }
        pods.onRemoved(p -> resizer.podGone(p.getMetadata().getUid()));
    }

    /** After a reconcile: a task no longer in the cache (or there under a new uid) is forgotten, whatever it wrote. */
    void forgetIfGone(MixTask task) {
        ItemStore<MixTask> store = tasks;
        if (store == null) {
            return;
        }
        MixTask cached = store.get(Cache.metaNamespaceKeyFunc(task));
        if (cached == null || !Objects.equals(cached.getMetadata().getUid(), task.getMetadata().getUid())) {
            forget(task);
        }
    }

    /** The task is deleted: what is remembered about it goes (its worker's objects go by owner references). */
    void forget(MixTask task) {
        String uid = task.getMetadata().getUid();
        silence.forget(uid);
        retries.clear(uid);
        announced.forget(uid);
        metrics.forget(task);
    }

    /** Entries per map (for tests: none may outlive its task, none grows with edits). */
    Map<String, Integer> entries() {
        return Map.of("silence", silence.size(), "pushRetries", retries.size(), "announced", announced.size(),
                "resizes", resizer.remembered(), "metrics", metrics.tracked());
    }
}
