package io.streammix.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's store (fabric8 {@link ItemStore}) that prunes each object as it arrives from a list or a watch, before
 * the informer hands it to JOSDK or keeps it: what is pruned never takes heap for the task's lifetime. The object is
 * pruned in place (it is the informer's own fresh copy, read by nobody yet), keyed as fabric8's default store keys it.
 */
public class PrunedItemStore<R extends HasMetadata> implements ItemStore<R> {
    private final Map<String, R> items = new ConcurrentHashMap<>();
    private final UnaryOperator<R> prune;

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

    @Override
    public R remove(String key) {
        return items.remove(key);
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
