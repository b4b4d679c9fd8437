package io.streammix.operator.status;

import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status this operator last derived for each task. The informer cache may still hold an older
 * one when the next reconcile starts (the status patch has not come back through the watch yet), and
 * Events and condition transition times are computed against the previous status: this keeps them
 * from repeating. After an operator restart it is empty and the status in the cluster is used.
 * Entries are keyed by uid and generation-independent; a deleted task's entry is dropped when the
 * map outgrows any plausible number of tasks (a leftover costs one status object).
 */
public final class LastStatus {
    private static final int MAX_ENTRIES = 20_000;
    private final Map<String, Entry> byUid = new ConcurrentHashMap<>();

    private record Entry(String resourceVersion, MixTaskStatus status) {
    }

    /** The newer of the cached task's status and the one this operator last derived for it. */
    public MixTaskStatus latest(MixTask task) {
        Entry entry = byUid.get(task.getMetadata().getUid());
        return entry != null ? entry.status() : task.getStatus();
    }

    public void remember(MixTask task, MixTaskStatus status) {
        if (byUid.size() > MAX_ENTRIES) {
            byUid.clear();
        }
        byUid.put(task.getMetadata().getUid(), new Entry(task.getMetadata().getResourceVersion(), status));
    }
}
