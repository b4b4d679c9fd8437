package io.streammix.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.cache.AtMostEvery;
import io.streammix.operator.cache.PrunedItemStore;
import io.streammix.operator.events.SpecAnnouncements;
import io.streammix.operator.metrics.OperatorMetrics;
import io.streammix.operator.sizing.WorkerResizer;
import io.streammix.operator.worker.PushRetries;
import io.streammix.operator.worker.WorkerSilence;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps the reconciler's in-memory state per task (a silent worker's silence, a failing push's retries, the last
 * SpecChanged generation announced, the task's metric series) and per worker pod (the last resize reported) no longer
 * than its task or pod. JOSDK calls no reconcile for a deleted task (the operator sets no finalizer), so the deletion is
 * learnt from the informer's store ({@link PrunedItemStore#onRemoved}); a reconcile that was under way when its task
 * went may write after that, so it looks again when it ends ({@link #forgetIfGone}).
 *
 * <p>With several watched namespaces the task informers keep fabric8's own stores ({@code cache.WatchedNamespaces}), so
 * no removal is heard: the tasks reconciled are remembered by uid and looked for in the primary cache after a
 * reconcile, at most once per {@link #SWEEP_EVERY} (a walk of all tasks, not one per reconcile).
 */
final class TaskMemory {
    private final WorkerSilence silence;
    private final PushRetries retries;
    private final SpecAnnouncements announced;
    private final WorkerResizer resizer;
    private final OperatorMetrics metrics;
    /** How often, at most, the tasks reconciled are looked for in the cache when no store of ours hears removals. */
    static final Duration SWEEP_EVERY = Duration.ofSeconds(30);
    private volatile ItemStore<MixTask> tasks;
    /** Without a store of ours: each task reconciled (uid: the task with its metadata only), until found gone. */
    private final Map<String, MixTask> reconciled = new ConcurrentHashMap<>();
    private final AtMostEvery sweeps;

    TaskMemory(WorkerSilence silence, PushRetries retries, SpecAnnouncements announced, WorkerResizer resizer,
               OperatorMetrics metrics) {
        this(silence, retries, announced, resizer, metrics, new AtMostEvery(SWEEP_EVERY, Clock.systemUTC()));
    }

    TaskMemory(WorkerSilence silence, PushRetries retries, SpecAnnouncements announced, WorkerResizer resizer,
               OperatorMetrics metrics, AtMostEvery sweeps) {
        this.silence = silence;
        this.retries = retries;
        this.announced = announced;
        this.resizer = resizer;
        this.metrics = metrics;
        this.sweeps = sweeps;
    }

    /** Follows removals from the task informer's store when it is ours (null: several namespaces, fabric8's stores). */
    void follow(ItemStore<MixTask> taskStore) {
        if (taskStore instanceof PrunedItemStore<MixTask> pruned) {
            pruned.onRemoved(this::forget);
            tasks = taskStore;
        }
    }

    /**
     * A worker pod left the cache (deleted, or gone at a relist): what was remembered about it goes. Always true: as the
     * pod informer's delete filter, it lets every delete through.
     */
    boolean podGone(Pod pod) {
        resizer.podGone(pod.getMetadata().getUid());
        return true;
    }

    /**
     * After a reconcile: a task no longer in the cache (or there under a new uid) is forgotten, whatever it wrote. With
     * no store of ours, {@code cache} (the primary cache) is asked instead, and now and then for every task reconciled.
     */
    void forgetIfGone(MixTask task, Function<ResourceID, Optional<MixTask>> cache) {
        ItemStore<MixTask> store = tasks;
        if (store != null) {
            if (gone(task, store.get(Cache.metaNamespaceKeyFunc(task)))) {
                forget(task);
            }
            return;
        }
        if (gone(task, cache.apply(ResourceID.fromResource(task)).orElse(null))) {
            reconciled.remove(task.getMetadata().getUid());
            forget(task);
        } else {
            reconciled.computeIfAbsent(task.getMetadata().getUid(), uid -> idOnly(task));
        }
        if (sweeps.due()) {
            reconciled.values().forEach(t -> {
                if (gone(t, cache.apply(ResourceID.fromResource(t)).orElse(null))) {
                    reconciled.remove(t.getMetadata().getUid());
                    forget(t);
                }
            });
        }
    }

    private static boolean gone(MixTask task, MixTask cached) {
        return cached == null || !Objects.equals(cached.getMetadata().getUid(), task.getMetadata().getUid());
    }

    /** What {@link #forget} reads of a task (name, namespace, uid): a few strings per task, not the task. */
    private static MixTask idOnly(MixTask task) {
        MixTask id = new MixTask();
        id.getMetadata().setNamespace(task.getMetadata().getNamespace());
        id.getMetadata().setName(task.getMetadata().getName());
        id.getMetadata().setUid(task.getMetadata().getUid());
        return id;
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
                "resizes", resizer.remembered(), "metrics", metrics.tracked(), "reconciled", reconciled.size());
    }
}
