package io.streammix.operator.startmix;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.PlayInfo;
import io.streammix.api.validation.Violation;
import io.streammix.startmix.MixTaskStore;
import io.streammix.operator.spec.InvalidSpecException;
import io.streammix.operator.spec.SpecResolver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The start-mix API's MixTasks in the Kubernetes API server, through the operator's fabric8 client: plain create and
 * update (PUT with resourceVersion, as the operator writes everything: no server-side apply), delete. The checks and
 * play URLs are the operator's own ({@link SpecResolver}).
 */
public final class KubernetesMixTaskStore implements MixTaskStore {
    private static final Duration POLL = Duration.ofMillis(250);

    private final KubernetesClient client;
    private final SpecResolver resolver;
    private final Duration replyWait;

    /** Without waiting for the worker (the reply says what is known before it). */
    public KubernetesMixTaskStore(KubernetesClient client, SpecResolver resolver) {
        this(client, resolver, Duration.ZERO);
    }

    /** @param replyWait how long {@link #settled} waits for the worker to apply a write (mixtask.start-mix.reply-wait) */
    public KubernetesMixTaskStore(KubernetesClient client, SpecResolver resolver, Duration replyWait) {
        this.client = client;
        this.resolver = resolver;
        this.replyWait = replyWait;
    }

    @Override
    public Optional<MixTask> get(String namespace, String name) {
        try {
            return Optional.ofNullable(client.resources(MixTask.class).inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            throw failure("read", namespace, name, e);
        }
    }

    @Override
    public int count(String namespace, String label, String value) {
        try {
            return client.resources(MixTask.class).inNamespace(namespace).withLabel(label, value).list().getItems().size();
        } catch (KubernetesClientException e) {
            throw failure("list", namespace, "(" + label + "=" + value + ")", e);
        }
    }

    @Override
    public MixTask create(MixTask task) {
        try {
            return client.resource(task).create();
        } catch (KubernetesClientException e) {
            throw failure("create", task.getMetadata().getNamespace(), task.getMetadata().getName(), e);
        }
    }

    @Override
    public MixTask update(MixTask task) {
        try {
            return client.resource(task).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new Conflict("deleted meanwhile");
            }
            throw failure("update", task.getMetadata().getNamespace(), task.getMetadata().getName(), e);
        }
    }

    @Override
    public Optional<Stopped> delete(String namespace, String name) {
        try {
            boolean deleted = !client.resources(MixTask.class).inNamespace(namespace).withName(name).delete().isEmpty();
            // The worker stops after this returns: the API computes the final duration from status.startTime.
            return deleted ? Optional.of(new Stopped(null)) : Optional.empty();
        } catch (KubernetesClientException e) {
            throw failure("delete", namespace, name, e);
        }
    }

    @Override
    public List<PlayInfo> admit(MixTask task) throws InvalidSpecException {
        return resolver.resolve(task).play();
    }

    /**
     * What is known before the worker runs the task: outputs without an RTMP play address (the vendor returns one for
     * each), inputs by stream id (pulled from the media server; they may not be published yet) and images (the API
     * never fetches a caller's URL, so their size is the worker's to check). The worker's own findings come from
     * {@link #settled}.
     */
    @Override
    public List<Violation> notes(MixTask task, List<PlayInfo> play) {
        List<Violation> notes = new ArrayList<>(KubernetesNotes.beforeTheWorker(task));
        for (int i = 0; i < play.size(); i++) {
            if (play.get(i).rtmpUrl == null) {
                notes.add(new Violation("play[" + i + "].rtmp_url", "omitted: no RTMP play address on this cluster "
                        + "(the operator's media.rtmpPlayUrlTemplate is not set); HTTP-FLV and HLS play"));
            }
        }
        return notes;
    }

    /**
     * Waits up to {@code replyWait} for the worker to apply this write (status.appliedGeneration), then gives what its
     * status says that the caller should know: inputs not live, and status.warnings. When the worker has not applied it
     * in time, one note says where to look.
     */
    @Override
    public List<Violation> settled(MixTask written) {
        Long generation = written.getMetadata().getGeneration();
        if (replyWait.isZero() || generation == null) {
            return List.of();
        }
        String ns = written.getMetadata().getNamespace();
        String name = written.getMetadata().getName();
        long deadline = System.nanoTime() + replyWait.toNanos();
        try {
            while (true) {
                MixTask now = get(ns, name).orElse(null);
                MixTaskStatus status = now == null ? null : now.getStatus();
                if (status != null && status.appliedGeneration != null && status.appliedGeneration >= generation) {
                    return KubernetesNotes.fromStatus(status);
                }
                if (now == null || System.nanoTime() >= deadline) {
                    break;
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Unavailable e) {
            // The write is done; only the look at its status failed: the note below says where to look.
        }
        return List.of(new Violation("status", "the worker had not applied this request within " + replyWait.toMillis() / 1000.0
                + " s; inputs waiting for their publisher and images not shown will be in the MixTask's status.inputs and "
                + "status.warnings (kubectl get mt " + name + " -n " + ns + " -o yaml)"));
    }

    /** A 409 is a conflict to retry, a 422 admission refusing a field; anything else leaves the task as it was. */
    private static RuntimeException failure(String verb, String namespace, String name, KubernetesClientException e) {
        if (e.getCode() == 409) {
            return new Conflict(e.getMessage());
        }
        if (e.getCode() == 422) {
            Status status = e.getStatus();
            List<StatusCause> causes = status == null || status.getDetails() == null ? List.of() : status.getDetails().getCauses();
            if (causes != null && !causes.isEmpty() && causes.get(0).getField() != null) {
                return new Refused(causes.get(0).getField(), String.valueOf(causes.get(0).getMessage()));
            }
            return new Refused("spec", status == null ? String.valueOf(e.getMessage()) : String.valueOf(status.getMessage()));
        }
        if (e.getCode() == 403) {
            return new Unavailable("the operator may not " + verb + " MixTasks in namespace " + namespace
                    + " (RBAC: the chart grants it with startMixApi.enabled=true)", e);
        }
        return new Unavailable("the Kubernetes API server did not " + verb + " MixTask " + namespace + "/" + name
                + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : ""), e);
    }
}
