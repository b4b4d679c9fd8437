package io.streammix.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's own settings ({@code mixtask.*} in application.properties or MIXTASK_* environment
 * variables). Watched namespaces, concurrency and leader election are quarkus-operator-sdk settings
 * ({@code quarkus.operator-sdk.*}), see application.properties.
 */
@ConfigMapping(prefix = "mixtask")
public interface OperatorConfig {

    /**
     * The default of {@link #maxFps()}: the vendor's start-mix document caps fps at 20 unless its support raises it.
     * The same default is in application.properties, the chart's values.yaml ({@code maxFps}), the README, the docs
     * and the embedded start-mix server ({@code --max-fps}); a test holds them equal.
     */
    int DEFAULT_MAX_FPS = 20;

    /**
     * The default of {@link StartMix#maxTasksPerToken()}: how many MixTasks one start-mix token may have at once. The
     * same default is in application.properties, the chart's values.yaml ({@code startMixApi.maxTasksPerToken}), the
     * docs and the embedded start-mix server ({@code --max-tasks-per-token}); a test holds them equal.
     */
    int DEFAULT_MAX_TASKS_PER_TOKEN = 20;

    /** Highest output frame rate the operator accepts; admission allows up to 60, a cluster may raise the cap to it. */
    @WithDefault("" + DEFAULT_MAX_FPS)
    int maxFps();

    /** How often a running task's status is refreshed from its worker; a change of state is written at once. */
    @WithDefault("10s")
    Duration statusRefreshInterval();

    /**
     * How often the figures that move all the time (mixDuration, input fps, output bitrate and frames) are written
     * when nothing else changed: each write is an etcd write, and kubectl shows a live duration from startTime anyway.
     */
    @WithDefault("60s")
    Duration statusFiguresInterval();

    Worker worker();

    Media media();

    LeaderElection leaderElection();

    NetworkPolicy networkPolicy();
    StartMix startMix();
    /** What a MixTask's {@code spec.worker} may ask for (issue 13, finding 5); see {@code TenantBounds}. */
    Tenancy tenancy();

    /**
     * The admin's bounds on tenant overrides of the worker pod. Empty lists allow nothing beyond the operator's defaults:
     * a MixTask author gets a mix, not an arbitrary pod.
     */
    interface Tenancy {
        /**
         * Images spec.worker.image may name, matched per component ({@code *} a whole component, never part of one; a
         * trailing {@code :*} any tag; e.g. ghcr.io/streammix/mixtask-operator:*): see {@code operator.spec.ImagePattern}.
         */
        Optional<java.util.List<String>> allowedImages();

        /** Priority classes spec.worker.priorityClassName may name. */
        Optional<java.util.List<String>> allowedPriorityClasses();

        /** PersistentVolumeClaims {@code spec.worker.volumes} may mount, by name; unset: none by name. */
        Optional<java.util.List<String>> allowedVolumeClaims();

        /** Labels a claim must all carry to be mounted when not listed by name; empty: none by label. */
        Map<String, String> allowedVolumeClaimLabels();

        /** Tolerations spec.worker.tolerations may hold, a JSON array; each of the task's must equal one of these. */
        Optional<String> allowedTolerationsJson();

        /** Node selector keys spec.worker.nodeSelector may use, each with its allowed values ("*": any). */
        Map<String, java.util.List<String>> allowedNodeSelectors();

        /** Whether spec.worker.affinity may be set at all (it can name any node). */
        @WithDefault("false")
        boolean allowAffinity();

        /** Bounds of spec.worker.resources: limits are required and at most max, requests at least min. */
        @WithDefault("250m")
        String minCpu();

        @WithDefault("4")
        String maxCpu();

        @WithDefault("512Mi")
        String minMemory();

        @WithDefault("4Gi")
        String maxMemory();
    }

    /** Defaults of the worker pod; {@code spec.worker} overrides image, resources and scheduling per task. */
    interface Worker {
        /** One image for both roles: the worker runs it with the {@code worker} argument. */
        @WithDefault("ghcr.io/streammix/mixtask-operator:0.1.0")
        String image();

        Optional<String> imagePullPolicy();

        /**
         * The worker pods' service account, which must exist in every namespace workers run in; unset: the
         * namespace's "default" one. Either way no token is mounted: the worker has no Kubernetes API access.
         */
        Optional<String> serviceAccount();

        @WithDefault("1")
        String cpuRequest();

        @WithDefault("2")
        String cpuLimit();

        @WithDefault("768Mi")
        String memoryRequest();

        @WithDefault("1536Mi")
        String memoryLimit();

        /**
         * Requests and limits from the task's spec (the cost model) for a task without {@code spec.worker.resources};
         * with sizing off, every such worker gets the four figures above.
         */
        Sizing sizing();

        /** Size limit of the scratch emptyDir (FFmpeg natives unpacked by JavaCPP, temporary segments). */
        @WithDefault("1Gi")
        String scratchSizeLimit();

        /**
         * The default of {@link #javaOptions()} (and of the chart's {@code worker.javaOptions}). The mixing happens in
         * FFmpeg's native memory; the Java heap holds a few MB of live objects. SerialGC: a 1-2 core pod has nothing
         * to gain from G1's concurrent threads, and G1's own structures cost ~40 MB of RSS; C1 only: C2's compiler
         * arenas raised the peak RSS and its code won nothing measurable on a mix; a 2 MB young generation: the
         * worker's garbage is small and short-lived (audio chunks, figures), and a larger one was only resident pages
         * (WorkerMemoryBenchmark). No heap ceiling: the operator adds one per worker from its memory limit and cost
         * ({@code operator.sizing.WorkerHeap}) unless these options size the heap themselves.
         */
        String DEFAULT_JAVA_OPTIONS = "-XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmn2m";

        /** JVM options of the worker, passed as JAVA_TOOL_OPTIONS (with the heap ceiling of {@code WorkerHeap} added). */
        @WithDefault(DEFAULT_JAVA_OPTIONS)
        String javaOptions();

        /**
         * Internal address blocks a worker may connect to (inputs, images, outputs, redirects, HLS segments, the S3
         * endpoint), comma-separated CIDRs within 127.0.0.0/8, ::1, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,
         * 100.64.0.0/10 and fc00::/7, e.g. the media servers' Service range; {@code none}: not one (the chart's
         * {@code worker.egressAllowedCidrs}, empty by default). Unset: the worker allows them all. Link-local, metadata
         * and the API server's address are refused whatever this says. Passed as {@code MIXTASK_EGRESS_ALLOWED_CIDRS}.
         */
        Optional<String> egressAllowedCidrs();

        Map<String, String> nodeSelector();

        /**
         * Tolerations of worker pods as a JSON array of Kubernetes tolerations (the chart renders
         * {@code worker.tolerations} into it); a task's {@code spec.worker.tolerations} replaces them.
         */
        Optional<String> tolerationsJson();

        /**
         * How long a worker pod stays bound to a node that stopped answering (taints {@code node.kubernetes.io/not-ready}
         * and {@code unreachable}) before Kubernetes evicts it and its Deployment starts a new one on another node. The
         * Kubernetes default is 300 s on top of the node controller's grace (50 s): a live mix would stay dark for
         * about six minutes. A few seconds here bring it back within about a minute; a mix is stateless across a
         * restart (it reads its spec from its Secret). A task's own {@code spec.worker.tolerations} for those taints win.
         */
        @WithDefault("5")
        long nodeLossTolerationSeconds();

        /**
         * Opt-in fast failover: a worker silent this long on a node whose Lease is this old is replaced on another node at
         * once (see {@code NodeLossFailover} for the trade-off); unset: off, Kubernetes' node lifecycle decides.
         */
        Optional<java.time.Duration> fastFailoverAfter();

        /** Long enough for the worker to close its outputs and finalize recordings on SIGTERM. */
        @WithDefault("60")
        long terminationGracePeriodSeconds();

        /**
         * Base URL of a worker's control API. Placeholders: {service}, {namespace}, {task}, and {podIP}, the worker
         * pod's own IP (no Service or cluster DNS in between).
         * Tests point it at a fake on 127.0.0.1.
         */
        @WithDefault("http://{service}.{namespace}.svc:8081")
        String controlUrlTemplate();

        /** Timeout of one control-API call; reconcile threads wait for it, so keep it short. */
        @WithDefault("2s")
        Duration controlTimeout();

        /**
         * How long a mixing worker may leave status calls unanswered before its task turns Degraded
         * (reason WorkerUnreachable). Shorter silences keep the phase: the mix does not depend on the operator.
         */
        @WithDefault("30s")
        Duration unreachableGrace();

        /**
         * Failed pushes of one spec to a running worker (PUT /spec unreachable or failing) before the operator
         * gives up on a live update and restarts the worker, which then reads the spec from its Secret.
         */
        @WithDefault("4")
        int pushAttempts();

        /** Wait after the first failed push; it doubles after each further failure. */
        @WithDefault("2s")
        Duration pushBackoff();

        /**
         * The worker's Prometheus metrics port (container port {@code metrics}, path {@code /metrics}, no token;
         * the chart's PodMonitor scrapes it, and a NetworkPolicy must admit the scraper to it).
         */
        @WithDefault("9102")
        int metricsPort();
    }

    /**
     * Worker requests and limits from the cost model ({@code operator.sizing}): request = predicted steady CPU or peak
     * RSS x headroom, limit = request x limit factor, rounded up (CPU to 50m, memory to 64Mi) and kept within
     * [min, max] here and under the tenancy maxima. A live edit that changes the figures resizes the running pod in
     * place (Event WorkerResized) or, where the cluster refuses, says so (Event WorkerRestartNeeded).
     */
    interface Sizing {
        /** Size workers from their spec; off: the fixed cpu-request, cpu-limit, memory-request and memory-limit. */
        @WithDefault("true")
        boolean enabled();

        /** Requested CPU per predicted CPU: room for start-up, keyframes and input bursts. */
        @WithDefault("1.25")
        double cpuHeadroom();

        /** Requested memory per predicted peak RSS. */
        @WithDefault("1.25")
        double memoryHeadroom();

        /** CPU limit per CPU request (at least 1). */
        @WithDefault("2")
        double cpuLimitFactor();

        /** Memory limit per memory request (at least 1): a worker over its limit is killed, its mix restarts. */
        @WithDefault("2")
        double memoryLimitFactor();

        @WithDefault("100m")
        String minCpu();

        /**
         * The least CPU limit a sized worker gets (then capped by max-cpu): a limit near the steady figure throttles
         * the JVM's start and every keyframe burst of the encoders in 100 ms CFS periods, i.e. late frames.
         */
        @WithDefault("1")
        String minCpuLimit();

        @WithDefault("4")
        String maxCpu();

        @WithDefault("256Mi")
        String minMemory();

        @WithDefault("4Gi")
        String maxMemory();
    }

    /**
     * URL templates of the media server. Placeholders: {streamId}, {namespace}, {task}, {roomId}, {service}.
     * Credentials never go here: inputs and outputs that need them use urlFrom (a Secret).
     */
    interface Media {
        /** How to pull an input given by streamId; without it, streamId inputs are an invalid spec. */
        Optional<String> inputUrlTemplate();

        /**
         * Where to push an output given by streamId; without it, the worker serves such outputs itself
         * on its media port (HLS and HTTP-FLV) and pushes nowhere.
         */
        Optional<String> outputUrlTemplate();

        /** RTMP play URL of an output; none by default (the worker does not serve RTMP). */
        Optional<String> rtmpPlayUrlTemplate();

        /** HTTP-FLV play URL; the default is the worker's own endpoint through its Service. */
        @WithDefault("http://{service}.{namespace}.svc:8080/live/{streamId}.flv")
        String flvPlayUrlTemplate();

        /** HLS play URL; the default is the worker's own endpoint through its Service. */
        @WithDefault("http://{service}.{namespace}.svc:8080/live/{streamId}/index.m3u8")
        String hlsPlayUrlTemplate();
    }

    /**
     * The NetworkPolicy each worker gets (owned by its task, in the task's namespace, so it exists wherever workers
     * run and goes with them): the control port only from the operator's pods, the media port from anywhere, and no
     * egress to the denied address blocks (link-local, so no cloud metadata; the chart adds the API server's).
     */
    interface NetworkPolicy {
        /** Off by default: only the chart knows the operator's namespace and pod labels, and turns it on. */
        @WithDefault("false")
        boolean enabled();

        /** Namespace of the operator's pods, the only ones that may reach a worker's control port. */
        Optional<String> operatorNamespace();

        /** Labels of the operator's pods (e.g. {@code operator-pod-labels."app.kubernetes.io/name"=mixtask-operator}). */
        Map<String, String> operatorPodLabels();

        /**
         * Who may scrape the workers' metrics port: a NetworkPolicy peer as JSON (namespaceSelector and/or podSelector,
         * the chart's {@code metrics.worker.scrapeFrom}); unset: no one, the port stays closed.
         */
        Optional<String> metricsFromJson();

        /** Address blocks (CIDR) workers may not reach; all others stay reachable (inputs and outputs anywhere). */
        @WithDefault("169.254.0.0/16,fe80::/10")
        java.util.List<String> egressDeniedCidrs();

        /**
         * Peers workers may reach even inside the denied blocks, as a JSON array of NetworkPolicy peers (the chart's
         * {@code networkPolicy.egressTo}), e.g. the namespace of the media server that {@code media.inputUrlTemplate}
         * names when the cluster's pod and Service ranges are denied.
         */
        Optional<String> egressToJson();
    }

    /** The start-mix HTTP API (docs/start-mix-api.md), on the main HTTP port. */
    interface StartMix {
        /**
         * Serve {@code POST /cgi/start-mix} and {@code /cgi/stop-mix}. Off by default: it creates workloads from HTTP
         * calls and needs write access to MixTasks (the chart's {@code startMixApi.enabled} turns on both).
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * The most MixTasks one token may have at once (counted by the owner label the API puts on each); a start-mix
         * that would create one more is refused with code 9. 0: no cap.
         */
        @WithDefault("" + DEFAULT_MAX_TASKS_PER_TOKEN)
        int maxTasksPerToken();

        /**
         * The namespaces the API may write MixTasks in (the chart grants its create/update/delete verbs there only):
         * tokens are read from these namespaces' Secrets, and only these. Empty: the namespaces the operator watches.
         */
        Optional<java.util.List<String>> namespaces();

        /**
         * How long a start-mix reply waits for the worker to apply the request, to add what its status says (inputs
         * waiting for their publisher, images not shown: {@code status.inputs}, {@code status.warnings}); past it the
         * reply says to read the status. 0: no wait.
         */
        @WithDefault("3s")
        Duration replyWait();
    }

    interface LeaderElection {
        /** Name of the Lease the replicas compete for (in the operator's namespace). */
        @WithDefault("mixtask-operator-leader")
        String leaseName();
    }
}
