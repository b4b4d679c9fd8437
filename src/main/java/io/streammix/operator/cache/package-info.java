/**
 * What the operator's informer caches keep of each resource they hold. Every cached object stays in memory for as long
 * as its task lives, so at thousands of tasks the cache is most of the operator's heap: {@link
 * io.streammix.operator.cache.PrunedItemStore} drops, as each object arrives, the parts no reconcile reads ({@link
 * io.streammix.operator.cache.Pruning}: {@code managedFields} everywhere, kubectl's last-applied copy of a MixTask, the
 * worker pods' spec beyond their node and images).
 *
 * <p>{@link io.streammix.operator.cache.WatchedNamespaces}: why, with several watched namespaces, no informer gets a
 * store of ours (JOSDK gives every per-namespace informer the same store instance, and each informer's list would drop
 * the others' objects). {@link io.streammix.operator.cache.AtMostEvery}: walks over every task, at most once per interval.
 *
 * <p>Not here: which objects are watched (label selectors, in {@code .dependent} and the reconciler) or what a
 * reconcile does with them.
 *
 * <p>Threads: the informers' own threads (fabric8) put, JOSDK's reconcile threads read; the store is a concurrent map
 * and an object is pruned before it is stored, never while a reader can see it.
 */
package io.streammix.operator.cache;
