package io.streammix.startmix;

import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.PlayInfo;
import io.streammix.api.validation.Violation;
import io.streammix.operator.spec.InvalidSpecException;

import java.util.List;
import java.util.Optional;

/**
 * Where the start-mix API keeps its MixTasks: the Kubernetes API server in the operator (each call a MixTask that
 * kubectl, GitOps and the operator see), or the embedded engine without a cluster (each task mixed in-process).
 * {@link StartMixApi} holds every rule of the API (auth, mapping, seq, serialisation); an implementation only stores.
 */
public interface MixTaskStore {

    Optional<MixTask> get(String namespace, String name);

    /** How many tasks of the namespace carry this label with this value (the start-mix API's tasks per token). */
    int count(String namespace, String label, String value);

    /** @throws Conflict when a task of that name exists already */
    MixTask create(MixTask task);

    /**
     * Replaces the task's spec, labels and annotations.
     *
     * @throws Conflict when the task changed since it was read (its resourceVersion) or is gone
     */
    MixTask update(MixTask task);

    /**
     * Stops the task: in the embedded store the engine is closed before this returns, so the duration is the final one.
     *
     * @return empty when there was no such task; else what the store knows of the stopped task
     */
    Optional<Stopped> delete(String namespace, String name);

    /**
     * What the caller should know about a task this store is about to run that the request itself does not show: an
     * input that waits for its publisher, a play URL that cannot be given, an image that will not be shown. Each names
     * a MixTask field ({@code spec.inputs[0].streamId}) or a reply field ({@code play[0].rtmp_url}).
     */
    default List<Violation> notes(MixTask task, List<PlayInfo> play) {
        return List.of();
    }

    /**
     * What the last update of the task did to the running mix, when the store knows it at once: "live" (between two
     * frames), or which outputs were reopened or added ("live; outputs restarted [os]"). Null when it is not known yet
     * (the operator's worker applies it after the reply; its status says it).
     */
    default String lastApplied(String namespace, String name) {
        return null;
    }

    /**
     * What the task's runner reports about a task just written, waiting a bounded time for it to apply the write: what
     * the request could not show (inputs waiting for their publisher, images not shown). Called after the write, outside
     * the request's serialisation, so a slow worker delays only this reply. Empty when the store said all in
     * {@link #notes} (the embedded store knows at once).
     */
    default List<Violation> settled(MixTask written) {
        return List.of();
    }

    /** @param mixDuration seconds the task ran, final; null when the store cannot tell (the status then says it) */
    record Stopped(Long mixDuration) {
    }

    /**
     * What the operator checks before a worker sees a spec (its fps cap, the schemes the worker handles, a media server
     * for stream ids, ...), on a task not yet stored.
     *
     * @return the play URLs of its outputs, as the operator computes them for status.play
     */
    List<PlayInfo> admit(MixTask task) throws InvalidSpecException;

    /** The task changed or appeared under us: read it again and retry. */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The store refused the spec (the API server's admission): the field is a MixTask field. */
    final class Refused extends RuntimeException {
        private final String field;
        private final String rule;

        public Refused(String field, String rule) {
            super(field + ": " + rule);
            this.field = field;
            this.rule = rule;
        }

        public String field() {
            return field;
        }

        public String rule() {
            return rule;
        }
    }

    /** The store could not do it (the API server did not answer, or refused for another reason than the spec). */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
