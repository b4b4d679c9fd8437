package io.streammix.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;

import java.lang.reflect.Field;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which informer store fits the watched namespaces. JOSDK 5.1 starts one informer per watched namespace (one for all
 * namespaces, one for a single namespace) and gives each the <em>same</em> {@link ItemStore} instance, the one in the
 * informer's configuration; it has no per-namespace store or store supplier. fabric8 ends every list of an informer by
 * removing from its store whatever that list did not return, i.e., with a shared store, every object of the other
 * namespaces (and tells JOSDK they were deleted): with two namespaces, MixTasks that existed when the operator started
 * were never reconciled, and a relist after a watch error dropped a namespace's tasks and workers again.
 *
 * <p>So with several namespaces no informer is given a store of ours: each keeps fabric8's own store (one per
 * informer, correct), and the objects are cached whole (no {@link Pruning}). One namespace or all: one informer per
 * resource, its {@link PrunedItemStore} as before.
 */
public final class WatchedNamespaces {
    private WatchedNamespaces() {
    }

    /** True when JOSDK starts several informers per resource, which must not share one store. */
    public static boolean several(Set<String> namespaces) {
        return namespaces != null && namespaces.size() > 1;
    }

    /** {@code store} when one informer per resource watches {@code namespaces}; null (fabric8's own store) otherwise. */
    public static <R extends HasMetadata> ItemStore<R> storeFor(Set<String> namespaces, Supplier<? extends ItemStore<R>> store) {
        return several(namespaces) ? null : store.get();
    }

    /**
     * Takes the store out of a configuration made with one (the MixTask informer's, from the reconciler's annotation) so
     * that each per-namespace informer keeps its own. JOSDK reads the store when its informers start, after the
     * reconciler's {@code prepareEventSources}, and has no setter for a built configuration, hence the field; if a JOSDK
     * upgrade renames it, the operator refuses to start rather than silently dropping tasks.
     */
    public static void dropStore(InformerConfiguration<?> config) {
        try {
            Field store = InformerConfiguration.class.getDeclaredField("itemStore");
            store.setAccessible(true);
            store.set(config, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("several watched namespaces: cannot give each namespace's MixTask informer its "
                    + "own store (JOSDK's InformerConfiguration changed?); watch all namespaces or one", e);
        }
        if (config.getItemStore() != null) {
            throw new IllegalStateException("several watched namespaces: the MixTask informer's store is still shared");
        }
    }
}
