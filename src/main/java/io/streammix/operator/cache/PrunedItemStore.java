package io.streammix.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's store (fabric8 {@link ItemStore}) that prunes each object as it arrives from a list or a watch, before
 * the informer hands it to JOSDK or keeps it: what is pruned never takes heap for the task's lifetime. The object is
 * pruned in place (it is the informer's own fresh copy, read by nobody yet), keyed as fabric8's default store keys it.
 *
 * <p>It also tells who asks ({@link #onRemoved}) when an object leaves the cache: the informer removes an object when
 * its deletion is watched or when a relist no longer has it, i.e. when it is gone from the cluster. JOSDK calls no
 * reconciler for a deleted primary without a finalizer, so this is where per-task state learns that its task is gone.
 */
public class PrunedItemStore<R extends HasMetadata> implements ItemStore<R> {
    private final Map<String, R> items = new ConcurrentHashMap<>();
    private final UnaryOperator<R> prune;
    private final List<Consumer<? super R>> removed = new CopyOnWriteArrayList<>();

    public PrunedItemStore(UnaryOperator<R> prune) {
        this.prune = prune;
    }

    @Override
    public String getKey(R obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public R put(String key, R obj) {
        return items.put(key, prune.apply(obj));
    }

    /** {@code listener} gets each object removed from this store (on the informer's thread: it must be quick). */
    public void onRemoved(Consumer<? super R> listener) {
        removed.add(listener);
    }

    @Override
    public R remove(String key) {
        R gone = items.remove(key);
        if (gone != null) {
            removed.forEach(l -> l.accept(gone));
        }
        return gone;
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<R> values() {
        return items.values().stream();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public R get(String key) {
        return items.get(key);
    }
}
