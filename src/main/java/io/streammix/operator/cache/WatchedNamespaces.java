package io.streammix.operator.cache;

import java.util.Set;

/**
 * The operator watches all namespaces or one, not a list of several. JOSDK 5.1 starts one informer per watched
 * namespace and gives each the same {@link PrunedItemStore} instance (the one in the informer's configuration); fabric8
 * ends every list of an informer by removing from its store whatever that list did not return, i.e. every object of the
 * other namespaces, and tells the reconciler they were deleted. With two namespaces, MixTasks that existed when the
 * operator started were never reconciled (measured on the real API server: no status in 90 s in either namespace), and
 * a relist after a watch error would drop a namespace's tasks and workers from the cache again. Until the stores are
 * per namespace, several namespaces are refused at start with a message that says why and what to do instead.
 */
public final class WatchedNamespaces {
    private WatchedNamespaces() {
    }

    /** @throws IllegalStateException when {@code namespaces} lists more than one namespace */
    public static void requireAllOrOne(Set<String> namespaces) {
        if (namespaces != null && namespaces.size() > 1) {
            throw new IllegalStateException("watchNamespaces (quarkus.operator-sdk.controllers.mixtask.namespaces) lists "
                    + namespaces.size() + " namespaces " + new java.util.TreeSet<>(namespaces) + ": this operator watches all "
                    + "namespaces or exactly one (its informers would share one cache and each namespace's list would drop "
                    + "the others' MixTasks); watch all namespaces, or install one release per namespace");
        }
    }
}
