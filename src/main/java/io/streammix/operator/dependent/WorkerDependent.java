package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.streammix.operator.cache.Pruning;
import io.streammix.operator.cache.PrunedItemStore;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.worker.WorkerNames;

import java.util.ArrayList;
import java.util.List;

/**
 * Base of the three resources a task owns (worker Deployment, Service, Secret). Standalone
 * dependents: the reconciler decides when to reconcile them, so an invalid spec leaves a running
 * worker untouched. The informers see only what this operator labelled, keep them without
 * {@code managedFields} ({@link io.streammix.operator.cache.Pruning}), and JOSDK adds the owner
 * reference (the MixTask), so Kubernetes garbage-collects them with the task.
 *
 * <p>Matching is ours, not JOSDK's generic JSON diff: the API server fills in defaults (and, for
 * a Service, a cluster IP) that a diff would report as changes on every reconcile; comparing what
 * we decided (a hash, or the Secret's data) updates only on a real change.
 */
public abstract class WorkerDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, MixTask> {
    private final OnUpdateFilter<R> updates;

    protected WorkerDependent(Class<R> type) {
        this(type, null);
    }

    /**
     * @param updates which updates of a cached object reach the reconciler (null: all); the cache keeps every update
     *                either way. Each update let through is a reconcile of the task (a worker call, maybe a status write).
     */
    protected WorkerDependent(Class<R> type, OnUpdateFilter<R> updates) {
        super(type);
        this.updates = updates;
        configure(new PrunedItemStore<R>(Pruning::withoutManagedFields));
    }

    /**
     * For several watched namespaces (one informer each, {@link io.streammix.operator.cache.WatchedNamespaces}): no
     * store of ours, which JOSDK would share between them; each informer keeps fabric8's own and caches objects whole.
     * Called before the event source is made ({@code prepareEventSources}).
     */
    public void keepEachNamespacesOwnStore() {
        configure(null);
    }

    private void configure(PrunedItemStore<R> store) {
        configureWith(new KubernetesDependentResourceConfigBuilder<R>()
                .withKubernetesDependentInformerConfig(InformerConfiguration.builder(resourceType())
                        .withLabelSelector(WorkerNames.SELECTOR)
                        // Nothing reads managedFields, and they are often the biggest part of a cached object.
                        .withItemStore(store)
                        .withOnUpdateFilter(updates)
                        .build())
                .build());
    }

    /**
     * Updates that change more than the status (spec: a new generation; metadata: labels, annotations, owners, deletion).
     * A worker Deployment's status changes several times while the controller manager rolls it out; the reconciler
     * reads the pods for that, not the Deployment's status.
     */
    protected static <T extends HasMetadata> boolean moreThanStatus(T now, T before) {
        var a = now.getMetadata();
        var b = before.getMetadata();
        return !java.util.Objects.equals(a.getGeneration(), b.getGeneration())
                || !java.util.Objects.equals(a.getLabels(), b.getLabels())
                || !java.util.Objects.equals(a.getAnnotations(), b.getAnnotations())
                || !java.util.Objects.equals(a.getOwnerReferences(), b.getOwnerReferences())
                || !java.util.Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp());
    }

    /** True when {@code actual} already is what {@code desired} asks for. */
    protected abstract boolean sameAs(R actual, R desired);

    @Override
    public Matcher.Result<R> match(R actual, R desired, MixTask primary, Context<MixTask> context) {
        return Matcher.Result.computed(sameAs(actual, desired), desired);
    }

    /**
     * The owner reference to the task, marked as its controller (JOSDK's own leaves {@code controller}
     * unset); added before JOSDK's, which then finds it and adds no second one.
     */
    @Override
    protected void addReferenceHandlingMetadata(R target, MixTask primary) {
        target.getMetadata().setOwnerReferences(new ArrayList<>(List.of(new OwnerReferenceBuilder()
                .withApiVersion(primary.getApiVersion())
                .withKind(primary.getKind())
                .withName(primary.getMetadata().getName())
                .withUid(primary.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())));
        super.addReferenceHandlingMetadata(target, primary);
    }

    /** Marks {@code resource} with the hash of {@code spec} under {@code key}, the annotation {@link #sameHash} compares. */
    protected static <T extends HasMetadata> T withSpecHash(T resource, String key, Object spec) {
        resource.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(key, ContentHash.of(spec))));
        return resource;
    }

    /** True when both carry the same spec hash under {@code key} (what we decided, not what the server defaulted). */
    protected static boolean sameHash(HasMetadata actual, HasMetadata desired, String key) {
        return java.util.Objects.equals(annotation(actual, key), annotation(desired, key));
    }

    protected static String annotation(HasMetadata resource, String key) {
        var annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
