package io.streammix.operator.cache;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.streammix.api.v1alpha1.MixTask;

import java.util.Map;

/**
 * The parts of cached objects no reconcile reads, and so no cache keeps. The operator never writes a cached object
 * back whole: dependents are updated from the desired object with the cached one's metadata (JOSDK's
 * GenericResourceUpdater: a PUT without {@code managedFields} keeps the server's), the status with a patch computed
 * between two copies of the same pruned task, and pods are only read (and deleted on fast failover).
 */
public final class Pruning {
    /** kubectl's copy of the whole object as last applied: as big as the spec again, and nothing here reads it. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private Pruning() {
    }

    /**
     * Without {@code managedFields}: the server's record of which client set which field, often bigger than the
     * object's spec, read only by server-side apply (which this operator does not use, see application.properties).
     */
    public static <R extends HasMetadata> R withoutManagedFields(R resource) {
        resource.getMetadata().setManagedFields(null);
        return resource;
    }

    /** A MixTask without managedFields and without kubectl's last-applied copy of itself. */
    public static MixTask task(MixTask task) {
        withoutManagedFields(task);
        Map<String, String> annotations = task.getMetadata().getAnnotations();
        if (annotations != null) {
            annotations.remove(LAST_APPLIED);
        }
        return task;
    }

    /**
     * A worker pod as the status reads it: metadata (name, annotations naming its task, creation and deletion times),
     * the node it runs on, its containers' names, images and resources (an in-place resize, {@code
     * operator.sizing.InPlaceResize}, compares them with the spec's), and its whole status (IP, conditions, container states);
     * the rest of its spec (command, environment, volumes, probes, scheduling) is the Deployment's, not read here.
     */
    public static Pod pod(Pod pod) {
        withoutManagedFields(pod);
        PodSpec spec = pod.getSpec();
        if (spec != null) {
            PodSpec kept = new PodSpec();
            kept.setNodeName(spec.getNodeName());
            kept.setContainers(spec.getContainers() == null ? null : spec.getContainers().stream().map(c -> {
                Container container = new Container();
                container.setName(c.getName());
                container.setImage(c.getImage());
                container.setResources(c.getResources());
                return container;
            }).toList());
            pod.setSpec(kept);
        }
        return pod;
    }

    /** The store of the MixTask informer, named in the reconciler's {@code @Informer} (which needs a no-argument class). */
    public static final class TaskStore extends PrunedItemStore<MixTask> {
        public TaskStore() {
            super(Pruning::task);
        }
    }
}
