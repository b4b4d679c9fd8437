package io.streammix.worker.contract;

/**
 * Paths, ports and files of the worker's control API, shared by the worker (server) and the
 * operator (client). Every call but the health checks needs {@code Authorization: Bearer <token>}
 * with the task's token; health checks carry no information beyond up/down, so kubelet probes can
 * call them without the token (which would otherwise have to be written into the pod spec).
 */
public final class ControlApi {
    private ControlApi() {
    }

    /** Control port: status, spec submission. Only the operator should reach it (NetworkPolicy). */
    public static final int CONTROL_PORT = 8081;
    /** Media port: HLS and HTTP-FLV playback of the outputs, no authentication (like any media server's play port). */
    public static final int MEDIA_PORT = 8080;

    public static final String STATUS = "/status";
    /** PUT a {@link SpecSubmission}: 200 with the new report when applied, 422 naming the field when refused. */
    public static final String SPEC = "/spec";
    public static final String LIVE = "/healthz/live";
    public static final String READY = "/healthz/ready";


    /** Environment of the worker container (all optional but the spec file). */
    public static final String ENV_SPEC_FILE = "MIXTASK_SPEC_FILE";
    public static final String ENV_TOKEN_FILE = "MIXTASK_TOKEN_FILE";
    public static final String ENV_SCRATCH_DIR = "MIXTASK_SCRATCH_DIR";

    /** Keys of the per-task Secret mounted into the worker. */
    public static final String SECRET_TOKEN_KEY = "token";
    public static final String SECRET_SPEC_KEY = "spec.json";
}
