package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.worker.WorkerNames;

/**
 * Base of the three resources a task owns (worker Deployment, Service, Secret). Standalone
 * dependents: the reconciler decides when to reconcile them, so an invalid spec leaves a running
 * worker untouched. The informers see only what this operator labelled, and JOSDK adds the owner
 * reference (the MixTask), so Kubernetes garbage-collects them with the task.
 *
 * <p>Matching is ours, not JOSDK's generic JSON diff: the API server fills in defaults (and, for
 * a Service, a cluster IP) that a diff would report as changes on every reconcile; comparing what
 * we decided (a hash, or the Secret's data) updates only on a real change.
 */
public abstract class WorkerDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, MixTask> {

    protected WorkerDependent(Class<R> type) {
        super(type);
        configureWith(new KubernetesDependentResourceConfigBuilder<R>()
                .withKubernetesDependentInformerConfig(InformerConfiguration.builder(type)
                        .withLabelSelector(WorkerNames.SELECTOR)
                        .build())
                .build());
    }

    /** True when {@code actual} already is what {@code desired} asks for. */
    protected abstract boolean sameAs(R actual, R desired);

    @Override
    public Matcher.Result<R> match(R actual, R desired, MixTask primary, Context<MixTask> context) {
        return Matcher.Result.computed(sameAs(actual, desired), desired);
    }

    protected static String annotation(HasMetadata resource, String key) {
        var annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
