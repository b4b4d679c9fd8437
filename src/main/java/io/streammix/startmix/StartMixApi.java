package io.streammix.startmix;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.PlayInfo;
import io.streammix.api.validation.SpecValidator;
import io.streammix.api.validation.Violation;
import io.streammix.operator.spec.InvalidSpecException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The start-mix HTTP API without its transport: {@code POST /cgi/start-mix} and {@code POST /cgi/stop-mix} as the
 * operator's Quarkus REST resource and the embedded server both serve them. A start-mix request becomes a MixTask
 * through {@link StartMixConverter} (the one mapping), named by its task_id (else id_name) in the namespace its token
 * is bound to; a second request with the same task id updates that MixTask, ordered by seq. Requests of one id_name
 * are serialised (within this process; across operator replicas the API server's resourceVersion orders the writes and
 * each write re-checks seq). Errors use the vendor's {code, message} shape, name the field in the request's terms, and
 * leave any running mix as it was. Tokens are never logged nor echoed.
 *
 * <p>Every answer is HTTP 200 with a {@code code}, as the vendor answers: a backend written against the vendor reads
 * {@code code}, not the HTTP status.
 */
public final class StartMixApi {
    private static final Logger LOG = Logger.getLogger(StartMixApi.class);

    /** Codes of the replies (docs/start-mix-api.md). */
    public static final int OK = 0;
    /** Not done for a reason of ours (the API server did not answer, ...): the same request may be retried. */
    public static final int FAILED = 1;
    /** The request is wrong; the message names the field. */
    public static final int INVALID = 2;
    /** No token, or one that is not known. */
    public static final int AUTH = 3;
    /** The body is not JSON. */
    public static final int PARSE = 4;
    /** A seq lower than the task's last one: refused, nothing changed. */
    public static final int STALE_SEQ = 5;
    /** stop-mix of a task that does not exist (in the token's namespace). */
    public static final int NOT_FOUND = 6;
    /** The token may not do this: another appid, or a MixTask the API did not create. */
    public static final int FORBIDDEN = 7;
    /** The task kept changing under us (other writers): retry. */
    public static final int BUSY = 8;
    /** The token has as many tasks as it may have (mixtask.start-mix.max-tasks-per-token): stop one first. */
    public static final int LIMIT = 9;

    /** Label on the MixTasks the API creates; it updates and deletes only those. */
    public static final String CREATED_BY = "streammix.io/created-by";
    public static final String CREATED_BY_VALUE = "start-mix-api";
    /** Annotations: the request's ids as sent (the name is a DNS-safe form of the task id). */
    public static final String TASK_ID_ANNOTATION = "streammix.io/start-mix-task-id";
    public static final String ID_NAME_ANNOTATION = "streammix.io/start-mix-id-name";
    public static final String APPID_ANNOTATION = "streammix.io/start-mix-appid";

    private static final int ATTEMPTS = 5;

    /** The HTTP status and body of an answer. */
    public record Reply(int status, StartMixResponse body) {
        static Reply ok(StartMixResponse body) {
            return new Reply(200, body);
        }

        static Reply error(int code, String message) {
            return new Reply(200, StartMixResponse.error(code, message));
        }

        public int code() {
            return body.code();
        }
    }

    private final StartMixTokens tokens;
    private final MixTaskStore store;
    private final StartMixTenancy tenancy;
    /** Striped fair locks by id_name: one id_name's requests run one at a time, in arrival order. */
    private final ReentrantLock[] locks = new ReentrantLock[256];

    /** With the default cap of tasks per token ({@link io.streammix.operator.config.OperatorConfig#DEFAULT_MAX_TASKS_PER_TOKEN}). */
    public StartMixApi(StartMixTokens tokens, MixTaskStore store) {
        this(tokens, store, io.streammix.operator.config.OperatorConfig.DEFAULT_MAX_TASKS_PER_TOKEN);
    }

    /** @param maxTasksPerToken the most MixTasks one token may have at once; 0 for no cap */
    public StartMixApi(StartMixTokens tokens, MixTaskStore store, int maxTasksPerToken) {
        this.tokens = tokens;
        this.store = store;
        this.tenancy = new StartMixTenancy(maxTasksPerToken);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock(true);
        }
    }

    public MixTaskStore store() {
        return store;
    }

    /**
     * POST /cgi/start-mix.
     *
     * @param accessToken   the {@code access_token} query parameter, or null
     * @param authorization the Authorization header ({@code Bearer <token>}), or null
     */
    public Reply start(String accessToken, String authorization, byte[] body) {
        Object auth = authenticate(accessToken, authorization);
        if (auth instanceof Reply refused) {
            return refused;
        }
        StartMixTokens.Binding binding = (StartMixTokens.Binding) auth;
        StartMixBody.Parsed parsed;
        try {
            parsed = StartMixBody.parse(body);
        } catch (IOException e) {
            return Reply.error(PARSE, e.getMessage());
        }
        JsonNode request = parsed.request();
        StartMixConverter.Result converted;
        try {
            converted = StartMixConverter.convert(request, binding.namespace());
        } catch (StartMixException e) {
            return Reply.error(INVALID, e.getMessage());
        }
        if (!StartMixTenancy.appidAllowed(binding, converted.appid())) {
            return Reply.error(FORBIDDEN, "appid: this access_token is not for appid " + converted.appid());
        }
        MixTask wanted = converted.task();
        List<Violation> violations = SpecValidator.validate(wanted.getSpec());
        if (!violations.isEmpty()) {
            return Reply.error(INVALID, vendor(violations.get(0)) + more(violations.size()));
        }
        String serialiseOn = converted.idName() != null ? converted.idName() : converted.taskId();
        ReentrantLock lock = lock(binding.namespace(), serialiseOn);
        MixTask[] written = new MixTask[1]; // what apply wrote, for the wait on its status after the lock is released
        Reply reply;
        lock.lock();
        try {
            List<String> warnings = new ArrayList<>();
            if (parsed.lenient()) {
                warnings.add(StartMixBody.LENIENT);
            }
            warnings.addAll(converted.warnings());
            reply = apply(converted, binding, wanted, echoed(request, "idname"), echoed(request, "livechannel"), warnings, written);
        } finally {
            lock.unlock();
        }
        if (reply.code() != OK || written[0] == null) {
            return reply;
        }
        List<String> later = store.settled(written[0]).stream().map(StartMixApi::vendor).toList();
        if (later.isEmpty()) {
            return reply;
        }
        List<String> all = new ArrayList<>(reply.body().warnings() == null ? List.of() : reply.body().warnings());
        all.addAll(later);
        return Reply.ok(new StartMixResponse(OK, reply.body().message(), reply.body().data(), List.copyOf(all)));
    }

    private Reply apply(StartMixConverter.Result converted, StartMixTokens.Binding binding, MixTask wanted, String idName,
                        String liveChannel, List<String> warnings, MixTask[] written) {
        String ns = wanted.getMetadata().getNamespace();
        String name = wanted.getMetadata().getName();
        Long seq = wanted.getSpec().seq;
        Long appid = StartMixTenancy.actingAppid(binding, converted.appid());
        String owner = StartMixTenancy.owner(binding);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                Optional<MixTask> existing = StartMixTenancy.find(store, ns, converted.taskId());
                // The stored task's name: a task created before names carried 128 bits keeps its 32-bit one.
                name = existing.map(e -> e.getMetadata().getName()).orElse(StartMixNames.resourceName(converted.taskId()));
                wanted.getMetadata().setName(name);
                MixTask next = StartMixTaskMetadata.prepare(converted, appid, owner, wanted, existing);
                if (existing.isPresent()) {
                    Reply refused = refuseUpdate(existing.get(), converted.taskId(), appid, seq);
                    if (refused != null) {
                        return refused;
                    }
                }
                List<PlayInfo> play;
                try {
                    play = store.admit(next);
                } catch (InvalidSpecException e) {
                    return Reply.error(INVALID, vendor(new Violation(e.field(), rule(e))));
                }
                List<String> all = new ArrayList<>(warnings);
                store.notes(next, play).forEach(v -> all.add(vendor(v)));
                if (existing.isPresent()) {
                    written[0] = store.update(next);
                    String applied = store.lastApplied(ns, name);
                    if (applied != null && !applied.equals("live")) {
                        all.add("update: applied " + applied + " (the rest live, between two frames)");
                    }
                } else {
                    Reply capped = create(next, ns, owner, written);
                    if (capped != null) {
                        return capped;
                    }
                }
                Long duration = existing.map(StartMixTaskState::mixDuration).orElse(null);
                LOG.infof("start-mix: %s MixTask %s/%s (seq %s)", existing.isPresent() ? "updated" : "created", ns, name, seq);
                // As the vendor answers: id_name, seq and live_channel always there ("" and 0 when the request had none).
                StartMixResponse.Data data = new StartMixResponse.Data(orEmpty(idName),
                        next.getSpec().seq != null ? next.getSpec().seq : Long.valueOf(0), orEmpty(liveChannel),
                        play.stream().map(StartMixResponse.Play::of).toList(), duration);
                return Reply.ok(new StartMixResponse(OK, "success", data, all.isEmpty() ? null : List.copyOf(all)));
            } catch (MixTaskStore.Refused e) {
                return Reply.error(INVALID, vendor(new Violation(e.field(), e.rule())));
            } catch (MixTaskStore.Conflict e) {
                LOG.debugf("start-mix: MixTask %s/%s changed meanwhile (attempt %d): %s", ns, name, attempt, e.getMessage());
            } catch (MixTaskStore.Unavailable e) {
                LOG.warnf("start-mix: MixTask %s/%s: %s", ns, name, e.getMessage());
                return Reply.error(FAILED, e.getMessage() + "; nothing changed, the request may be retried");
            }
        }
        return Reply.error(BUSY, "task_id: the task kept changing while this request was applied; retry");
    }

    /** Creates the task unless its token has as many as it may have: then the refusal. */
    private Reply create(MixTask next, String ns, String owner, MixTask[] written) {
        ReentrantLock lock = tenancy.createLock(owner);
        lock.lock();
        try {
            String capped = tenancy.capRefusal(store, ns, owner);
            if (capped != null) {
                return Reply.error(LIMIT, capped);
            }
            written[0] = store.create(next);
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Why an existing task may not be updated by this request, or null. */
    private static Reply refuseUpdate(MixTask existing, String taskId, Long appid, Long seq) {
        if (!managed(existing)) {
            return Reply.error(FORBIDDEN, "task_id: '" + taskId + "' names a MixTask that the start-mix API did not create "
                    + "(made with kubectl or GitOps); it is left as it is");
        }
        String other = StartMixTenancy.refusal(existing, taskId, appid);
        if (other != null) {
            return Reply.error(FORBIDDEN, other);
        }
        Long last = StartMixTaskState.lastSeq(existing);
        if (seq != null && last != null && seq < last) {
            return Reply.error(STALE_SEQ, "seq: " + seq + " is lower than the last seq " + last + " of task_id '" + taskId
                    + "'; refused, the mix keeps running as it is");
        }
        return null;
    }

    /**
     * POST /cgi/stop-mix: deletes the task named by task_id (else id_name), in the token's namespace. The body may be
     * the start-mix request itself; only task_id, id_name, seq and appid are read. A stop is not ordered by seq: a
     * client that resends its first start body (a seq lower than its last update's) to stop the mix stops it, and the
     * reply says the seq was lower; refusing would leave the mix running with no way for that client to end it.
     */
    public Reply stop(String accessToken, String authorization, byte[] body) {
        Object auth = authenticate(accessToken, authorization);
        if (auth instanceof Reply refused) {
            return refused;
        }
        StartMixTokens.Binding binding = (StartMixTokens.Binding) auth;
        String taskId;
        String idName;
        Long seq;
        Long appid;
        try {
            StartMixFields r = new StartMixFields(StartMixBody.parse(body).request());
            taskId = StartMixNames.taskId(r);
            idName = r.text("id_name");
            seq = r.number("seq");
            appid = r.number("appid");
        } catch (IOException e) {
            return Reply.error(PARSE, e.getMessage());
        } catch (StartMixException e) {
            return Reply.error(INVALID, e.getMessage());
        }
        if (!StartMixTenancy.appidAllowed(binding, appid)) {
            return Reply.error(FORBIDDEN, "appid: this access_token is not for appid " + appid);
        }
        String ns = binding.namespace();
        ReentrantLock lock = lock(ns, idName != null ? idName : taskId);
        lock.lock();
        String name = StartMixNames.resourceName(taskId);
        try {
            Optional<MixTask> existing = StartMixTenancy.find(store, ns, taskId);
            if (existing.isEmpty()) {
                return Reply.error(NOT_FOUND, "task_id: no mix task '" + taskId + "' (already stopped, or never started with this access_token)");
            }
            if (!managed(existing.get())) {
                return Reply.error(FORBIDDEN, "task_id: '" + taskId + "' names a MixTask that the start-mix API did not create "
                        + "(made with kubectl or GitOps); it is left as it is");
            }
            String other = StartMixTenancy.refusal(existing.get(), taskId, StartMixTenancy.actingAppid(binding, appid));
            if (other != null) {
                return Reply.error(FORBIDDEN, other);
            }
            name = existing.get().getMetadata().getName();
            List<String> warnings = new ArrayList<>();
            Long last = StartMixTaskState.lastSeq(existing.get());
            if (seq != null && last != null && seq < last) {
                warnings.add("seq: " + seq + " is lower than the task's last seq " + last + "; stopped all the same (a stop is "
                        + "not ordered by seq)");
            }
            Optional<MixTaskStore.Stopped> stopped = store.delete(ns, name);
            if (stopped.isEmpty()) {
                return Reply.error(NOT_FOUND, "task_id: no mix task '" + taskId + "' (stopped meanwhile)");
            }
            Long duration = stopped.get().mixDuration() != null ? stopped.get().mixDuration() : StartMixTaskState.mixDuration(existing.get());
            LOG.infof("stop-mix: deleted MixTask %s/%s", ns, name);
            String room = existing.get().getSpec() == null ? null : existing.get().getSpec().roomId;
            return Reply.ok(new StartMixResponse(OK, "success", new StartMixResponse.Data(orEmpty(idName),
                    seq != null ? seq : last != null ? last : Long.valueOf(0), orEmpty(room), null, duration),
                    warnings.isEmpty() ? null : warnings));
        } catch (MixTaskStore.Unavailable e) {
            LOG.warnf("stop-mix: MixTask %s/%s: %s", ns, name, e.getMessage());
            return Reply.error(FAILED, e.getMessage() + "; nothing changed, the request may be retried");
        } finally {
            lock.unlock();
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The binding of the request's token, or the refusal (a Reply). The token itself goes nowhere. */
    private Object authenticate(String accessToken, String authorization) {
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        }
        if ((token == null || token.isEmpty()) && accessToken != null) {
            token = accessToken.trim();
        }
        if (token == null || token.isEmpty()) {
            return Reply.error(AUTH, "access_token: missing (query parameter access_token, or header Authorization: Bearer)");
        }
        Optional<StartMixTokens.Binding> binding = tokens.find(token);
        if (binding.isEmpty()) {
            return Reply.error(AUTH, "access_token: not valid");
        }
        return binding.get();
    }

    /** A top-level text of the request as sent (also ""), for the reply: the vendor echoes id_name and live_channel. */
    private static String echoed(JsonNode request, String normalizedKey) {
        var it = request.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (StartMixFields.normalize(e.getKey()).equals(normalizedKey) && e.getValue().isValueNode() && !e.getValue().isNull()) {
                return e.getValue().asText();
            }
        }
        return null;
    }

    static boolean managed(MixTask task) {
        return task.getMetadata().getLabels() != null
                && CREATED_BY_VALUE.equals(task.getMetadata().getLabels().get(CREATED_BY));
    }

    private ReentrantLock lock(String namespace, String idName) {
        return locks[Math.floorMod((namespace + "/" + idName).hashCode(), locks.length)];
    }

    private static String vendor(Violation v) {
        return StartMixNames.vendorField(v.field()) + ": " + v.rule();
    }

    private static String more(int n) {
        return n > 1 ? " (and " + (n - 1) + " more)" : "";
    }

    private static String rule(InvalidSpecException e) {
        String m = e.getMessage();
        String prefix = e.field() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
