package io.streammix.worker;

import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.control.ControlServer;
import io.streammix.worker.engine.FileAccess;
import io.streammix.worker.engine.MixEngine;
import io.streammix.worker.metrics.MetricsServer;
import io.streammix.worker.metrics.WorkerMetrics;
import io.streammix.worker.playback.LiveStreams;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The worker role, as the operator starts it in a pod: reads the spec submission from
 * {@code $MIXTASK_SPEC_FILE} and the bearer token from {@code $MIXTASK_TOKEN_FILE}, mixes, serves the
 * control API (port 8081, or {@code --control-port N} / {@code MIXTASK_CONTROL_PORT}) and the media port (HLS and
 * HTTP-FLV of the outputs it publishes: port 8080, or {@code --media-port N} / {@code MIXTASK_MEDIA_PORT}; HLS files
 * under {@code $MIXTASK_SCRATCH_DIR/hls}), both on all interfaces (or {@code MIXTASK_BIND_ADDRESS}), and its Prometheus
 * metrics (no token: port 9102, or {@code --metrics-port N} / {@code MIXTASK_METRICS_PORT}; labelled with
 * {@code MIXTASK_NAMESPACE} and {@code MIXTASK_TASK}), and on SIGTERM stops
 * cleanly: outputs flushed, trailers written.
 */
public final class WorkerMain {
    static {
        // One logging path, chosen before any logger exists: the JDK's (JUL, its console handler). The pod's command
        // (java -jar ... worker) sets nothing, and then JBoss Logging may pick SLF4J -- initialised at the same moment
        // by Vert.x on another thread, and bound to the JBoss LogManager, which has no handler outside Quarkus -- so
        // that every worker log line was lost in some starts (seen in EarlierUploadsTest and WorkerMetricsScrapeTest).
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "jdk");
        }
        if (System.getProperty("vertx.logger-delegate-factory-class-name") == null) {
            System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
        }
        if (System.getProperty("java.util.logging.manager") == null) {
            java.util.logging.LogManager.getLogManager();
        }
        RoleLogging.toStdout(); // in the image, Quarkus's entry point left a handler that never writes
        // Vert.x here only serves (control, media, metrics ports): its own DNS resolver, started per Vert.x instance,
        // would load and keep Netty's DNS client for nothing; the JDK's resolver answers the rare lookup. And Netty's
        // pooled buffers come in chunks of 4 MiB (maxOrder 9), zeroed when allocated, for a handful of small requests:
        // 512 KiB chunks (maxOrder 6). Together 6 MiB less peak RSS (WorkerMemoryBenchmark, 150 -> 144 MiB).
        if (System.getProperty("vertx.disableDnsResolver") == null) {
            System.setProperty("vertx.disableDnsResolver", "true");
        }
        if (System.getProperty("io.netty.allocator.maxOrder") == null) {
            System.setProperty("io.netty.allocator.maxOrder", "6");
        }
    }

    private static final Logger LOG = Logger.getLogger(WorkerMain.class);
    /**
     * A JVM system property for WorkerMemoryBenchmark only: the mix without the control, media and metrics servers, to
     * bound what the HTTP layer costs. Such a worker answers no probe, so a pod would be restarted; a tenant cannot set
     * it (the spec never reaches the JVM's options, which the operator's admin sets).
     */
    public static final String BENCHMARK_WITHOUT_HTTP = "io.streammix.worker.benchmark-without-http";

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        NativeSetup.prepare(env);
        int port = ControlApi.CONTROL_PORT;
        if (env.containsKey("MIXTASK_CONTROL_PORT")) {
            port = Integer.parseInt(env.get("MIXTASK_CONTROL_PORT"));
        }
        // All interfaces, as in a pod (probes come on the pod IP, port-forward on its loopback); a test's loopback
        // kubelet gives each pod its own 127.0.0.N instead, as a network namespace would.
        String bindAddress = env.getOrDefault("MIXTASK_BIND_ADDRESS", "0.0.0.0");
        int mediaPort = ControlApi.MEDIA_PORT;
        if (env.containsKey("MIXTASK_MEDIA_PORT")) {
            mediaPort = Integer.parseInt(env.get("MIXTASK_MEDIA_PORT"));
        }
        int metricsPort = MetricsServer.DEFAULT_PORT;
        if (env.containsKey(MetricsServer.ENV_PORT)) {
            metricsPort = Integer.parseInt(env.get(MetricsServer.ENV_PORT));
        }
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--metrics-port")) {
                metricsPort = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--control-port")) {
                port = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--media-port")) {
                mediaPort = Integer.parseInt(args[i + 1]);
            }
        }
        String specFile = env.get(ControlApi.ENV_SPEC_FILE);
        String tokenFile = env.get(ControlApi.ENV_TOKEN_FILE);
        if (specFile == null || tokenFile == null) {
            System.err.println("worker: " + ControlApi.ENV_SPEC_FILE + " and " + ControlApi.ENV_TOKEN_FILE + " must be set");
            System.exit(2);
        }
        SpecSubmission sub = ControlServer.JSON.readValue(Files.readAllBytes(Path.of(specFile)), SpecSubmission.class);
        String token = Files.readString(Path.of(tokenFile)).trim();
        String scratch = env.getOrDefault(ControlApi.ENV_SCRATCH_DIR, System.getProperty("java.io.tmpdir"));
        NativeSetup.quietFfmpeg(env);
        WorkerRuntime rt;
        try {
            // In a pod, files only under the task's volumes and the scratch output directory (issue 13), opened at the real
            // paths checked (issue 21: no link swapped in later).
            io.streammix.worker.media.OpenedFiles.requireExactPaths();
            MixEngine.Config config = new MixEngine.Config(Path.of(scratch, "out"), null, Path.of(scratch, "hls"), new LiveStreams())
                    .withFiles(FileAccess.forPod(sub.spec(), Path.of(scratch, "out")));
            if (Boolean.getBoolean(BENCHMARK_WITHOUT_HTTP)) {
                mixWithoutHttp(MixEngine.start(sub, config));
                return;
            }
            rt = WorkerRuntime.start(sub, config, bindAddress, port, mediaPort, token);
        } catch (IllegalArgumentException e) {
            System.err.println("worker: " + e.getMessage());
            System.exit(1);
            return;
        }
        LOG.infof("worker mixing generation %d, control API on port %d, media on port %d", sub.generation(), rt.controlPort(),
                rt.mediaPort());
        MetricsServer metrics = startMetrics(rt.engine(), bindAddress, metricsPort, env);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (metrics != null) {
                metrics.close();
            }
            rt.close();
            // Straight to stderr: JUL's own shutdown hook resets its handlers concurrently, so a log line here can be lost.
            System.err.println("worker stopped: outputs closed");
            done.countDown();
        }, "shutdown"));
        done.await();
    }

    /** The benchmark's worker without servers ({@link #BENCHMARK_WITHOUT_HTTP}): mixes until SIGTERM. */
    private static void mixWithoutHttp(MixEngine engine) throws InterruptedException {
        LOG.warnf("%s: mixing without the control, media and metrics ports", BENCHMARK_WITHOUT_HTTP);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            done.countDown();
        }, "shutdown"));
        done.await();
    }

    /** The metrics port, or null when it cannot be bound: like playback, metrics are not worth losing the mix for. */
    private static MetricsServer startMetrics(MixEngine engine, String bindAddress, int port, Map<String, String> env) {
        WorkerMetrics metrics = new WorkerMetrics(env.getOrDefault(MetricsServer.ENV_NAMESPACE, ""),
                env.getOrDefault(MetricsServer.ENV_TASK, ""), engine::figures);
        try {
            MetricsServer server = new MetricsServer(bindAddress, port, metrics);
            LOG.infof("metrics on port %d (%s)", server.port(), MetricsServer.PATH);
            return server;
        } catch (IOException e) {
            LOG.errorf("metrics port %d: %s; metrics are off", port, e.getMessage());
            return null;
        }
    }
}
