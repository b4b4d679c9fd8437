package io.streammix.startmix;

import io.streammix.api.v1alpha1.MixTask;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who may act on a start-mix task, and how many tasks a token may have. A token is bound to a namespace (its tasks
 * live there, and it never finds another's: {@link StartMixApi}) and optionally to an appid. Each MixTask the API
 * creates records its owner: the task id as sent ({@link StartMixApi#TASK_ID_ANNOTATION}), the appid it acts for
 * ({@link StartMixApi#APPID_ANNOTATION}: the request's, else its token's) and the creating token's digest ({@link
 * #OWNER_LABEL}, a hash of the token's Secret, never the token). A request whose task id or appid differs from the
 * recorded one is refused before anything is written: two ids that share a name (a hash collision, or an id spelled
 * like another's hashed name) and two appids that share a namespace never update or stop each other's task.
 *
 * <p>The cap counts the MixTasks labelled with a token's owner digest in its namespace. Creations of one token are
 * serialised within this process; operator replicas each count what the API server holds, so two creations racing on
 * two replicas may pass the cap by one each (the API server has no counting admission to close that).
 *
 * <p>Threads: request threads of either transport; the locks are the only state.
 */
final class StartMixTenancy {
    /** Label of the MixTasks a token created: a digest of the token's Secret (namespace/name), never the token. */
    static final String OWNER_LABEL = "streammix.io/start-mix-owner";

    private final int maxTasksPerToken;
    private final ReentrantLock[] createLocks = new ReentrantLock[64];

    /** @param maxTasksPerToken the most MixTasks one token may have at once; 0 for no cap */
    StartMixTenancy(int maxTasksPerToken) {
        if (maxTasksPerToken < 0) {
            throw new IllegalArgumentException("max tasks per token: must be 0 (no cap) or more (got " + maxTasksPerToken + ")");
        }
        this.maxTasksPerToken = maxTasksPerToken;
        for (int i = 0; i < createLocks.length; i++) {
            createLocks[i] = new ReentrantLock();
        }
    }

    int maxTasksPerToken() {
        return maxTasksPerToken;
    }

    /** The owner digest of a token's binding: stable across token rotation in one Secret, and not the token. */
    static String owner(StartMixTokens.Binding binding) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("start-mix-owner:" + binding.source()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** False when the request names another appid than its token is bound to. */
    static boolean appidAllowed(StartMixTokens.Binding binding, Long requested) {
        return binding.appid() == null || requested == null || binding.appid().equals(requested);
    }

    /** The appid a request acts for (recorded on the task it creates, compared on every later call): its own, else its token's. */
    static Long actingAppid(StartMixTokens.Binding binding, Long requested) {
        return requested != null ? requested : binding.appid();
    }

    /**
     * The task a request names: by its name, else (a task created before names carried 128 bits) by its 32-bit name
     * when that task records exactly this task id.
     */
    static Optional<MixTask> find(MixTaskStore store, String namespace, String taskId) {
        Optional<MixTask> task = store.get(namespace, StartMixNames.resourceName(taskId));
        if (task.isPresent()) {
            return task;
        }
        String legacy = StartMixNames.legacyResourceName(taskId);
        if (legacy.equals(StartMixNames.resourceName(taskId))) {
            return task;
        }
        return store.get(namespace, legacy).filter(t -> taskId.equals(annotation(t, StartMixApi.TASK_ID_ANNOTATION)));
    }

    /**
     * Why this request may not act on the existing task of its name, or null. Says nothing of the task but that it is
     * another's: the caller learns no appid nor task id it did not send.
     */
    static String refusal(MixTask existing, String taskId, Long appid) {
        String recordedId = annotation(existing, StartMixApi.TASK_ID_ANNOTATION);
        if (recordedId != null && !recordedId.equals(taskId)) {
            return "task_id: '" + taskId + "' gives the name of another task in this namespace (" + existing.getMetadata().getName()
                    + "); choose another task_id";
        }
        // appid null: a token bound to no appid, and a request naming none: namespace-wide, as the admin made it.
        String recordedAppid = annotation(existing, StartMixApi.APPID_ANNOTATION);
        if (appid != null && !Objects.equals(recordedAppid, String.valueOf(appid))) {
            return "appid: task_id '" + taskId + "' is another appid's task; only requests for the appid it was started "
                    + "with update or stop it";
        }
        return null;
    }

    /** The lock that serialises one token's creations (count, then create). */
    ReentrantLock createLock(String owner) {
        return createLocks[Math.floorMod(owner.hashCode(), createLocks.length)];
    }

    /** Why this token may not create another task, or null. Call under {@link #createLock}. */
    String capRefusal(MixTaskStore store, String namespace, String owner) {
        if (maxTasksPerToken == 0) {
            return null;
        }
        int running = store.count(namespace, OWNER_LABEL, owner);
        if (running < maxTasksPerToken) {
            return null;
        }
        return "task_id: this access_token has " + running + " tasks, the most it may have (" + maxTasksPerToken
                + "); stop one first";
    }

    private static String annotation(MixTask task, String key) {
        Map<String, String> a = task.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }
}
