package io.streammix.local;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.validation.SpecValidator;
import io.streammix.api.validation.Violation;
import io.streammix.operator.spec.InvalidSpecException;
import io.streammix.worker.NativeSetup;
import io.streammix.worker.WorkerRuntime;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.MixEngine;
import io.streammix.worker.metrics.MetricsServer;
import io.streammix.worker.metrics.WorkerMetrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The README's local run: mixes a MixTask YAML file with the worker engine, no cluster.
 *
 * <pre>LocalRun &lt;mixtask.yaml&gt; [--duration SECONDS] [--out-dir DIR] [--control-port N] [--media-port N]
 *          [--metrics-port N] [--input-url-template URL] [--secrets FILE]</pre>
 *
 * Inputs given by {@code streamId} are pulled through {@code --input-url-template} (the operator's
 * {@code mixtask.media.input-url-template}, e.g. {@code rtmp://127.0.0.1:1935/live/{streamId}}); {@code urlFrom} reads
 * the Secrets of the task's file (as {@code kubectl apply -f} would create them) and of {@code --secrets FILE} (Secret
 * manifests kept out of the task's file). Secret values are never printed.
 *
 * Outputs with a file URL are written there (relative to the current directory); every output is also played by
 * the worker's media port, as in a cluster (key: the streamId, else the name): {@code http://127.0.0.1:8080/live/<streamId>.flv} and
 * {@code .../live/<streamId>/index.m3u8} (8080 unless {@code --media-port}; a free port when 8080 is taken; HLS
 * files under {@code <out-dir>/hls}, default {@code out/}). Ctrl-C (or the end of {@code --duration}) stops
 * cleanly and leaves playable files. With {@code --metrics-port N} (0: a free port) the worker's Prometheus metrics are
 * served at {@code http://127.0.0.1:N/metrics}, as a worker pod serves them on 9102.
 */
public final class LocalRun {
    static final String USAGE = "usage: LocalRun <mixtask.yaml> [--duration SECONDS] [--out-dir DIR] [--control-port N] "
            + "[--media-port N] [--metrics-port N] [--input-url-template URL-with-{streamId}] [--secrets FILE]";

    private LocalRun() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** @return the process exit code */
    public static int run(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(USAGE);
            return 2;
        }
        if (args[0].startsWith("--")) {
            System.err.println("the first argument is the MixTask file (with exec:java, -Dexec.args=\"<file> "
                    + args[0] + " ...\")\n" + USAGE);
            return 2;
        }
        Path file = Path.of(args[0]);
        double duration = 0;
        Path outDir = Path.of("out");
        int port = 0;
        Integer mediaPort = null;
        Integer metricsPort = null;
        String inputUrlTemplate = null;
        List<Path> secretFiles = new ArrayList<>();
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                System.err.println("option " + args[i] + " needs a value\n" + USAGE);
                return 2;
            }
            switch (args[i]) {
                case "--duration" -> duration = Double.parseDouble(args[i + 1]);
                case "--out-dir" -> outDir = Path.of(args[i + 1]);
                case "--control-port" -> port = Integer.parseInt(args[i + 1]);
                case "--media-port" -> mediaPort = Integer.parseInt(args[i + 1]);
                case "--metrics-port" -> metricsPort = Integer.parseInt(args[i + 1]);
                case "--input-url-template" -> inputUrlTemplate = args[i + 1];
                case "--secrets" -> secretFiles.add(Path.of(args[i + 1]));
                default -> {
                    System.err.println("unknown option " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
        }
        Map<String, String> env = System.getenv();
        NativeSetup.prepare(env);
        MixTask task;
        Map<String, Secret> secrets;
        try {
            LocalTaskFile read = LocalTaskFile.read(file);
            task = read.task();
            secrets = new HashMap<>(read.secrets());
        } catch (Exception e) {
            System.err.println(file + ": not a MixTask: " + firstLine(e));
            return 1;
        }
        for (Path f : secretFiles) {
            try {
                secrets.putAll(LocalTaskFile.readSecrets(f));
            } catch (Exception e) {
                System.err.println(f + ": not a file of Secrets: " + firstLine(e));
                return 1;
            }
        }
        if (task.getMetadata() == null) {
            task.setMetadata(new ObjectMeta());
        }
        if (task.getMetadata().getName() == null) {
            task.getMetadata().setName("local"); // {task} of the template
        }
        List<Violation> violations = SpecValidator.validateAnyFiles(task.getSpec());
        if (!violations.isEmpty()) {
            System.err.println(file + " is not a valid MixTask:");
            violations.forEach(v -> System.err.println("  " + v));
            return 1;
        }
        MixTaskSpec resolved;
        try {
            resolved = LocalResolver.resolve(task, inputUrlTemplate, secrets);
        } catch (InvalidSpecException e) {
            System.err.println(file + ": " + e.getMessage());
            return 1;
        }
        NativeSetup.quietFfmpeg(env);
        long generation = task.getMetadata() != null && task.getMetadata().getGeneration() != null
                ? task.getMetadata().getGeneration() : 1;
        String token = UUID.randomUUID().toString();
        if (mediaPort == null) {
            mediaPort = free(ControlApi.MEDIA_PORT) ? ControlApi.MEDIA_PORT : 0;
        }
        WorkerRuntime rt = WorkerRuntime.start(new SpecSubmission(generation, resolved),
                new MixEngine.Config(outDir, null), "127.0.0.1", port, mediaPort, token);
        MetricsServer metrics = metricsPort == null ? null : new MetricsServer("127.0.0.1", metricsPort, new WorkerMetrics(
                Objects.toString(task.getMetadata().getNamespace(), ""), task.getMetadata().getName(), rt.engine()::figures));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (metrics != null) {
                metrics.close();
            }
            rt.close();
            stopped.countDown();
        }, "local-run-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("mixing " + file + " (control API: http://127.0.0.1:" + rt.controlPort()
                + "/status with header 'Authorization: Bearer " + token + "')");
        if (metrics != null) {
            System.out.println("metrics: http://127.0.0.1:" + metrics.port() + MetricsServer.PATH);
        }
        // Every output is also played by the media port, under its streamId else its name (report order = spec order).
        List<WorkerReport.Output> reported = rt.engine().report().outputs();
        for (int i = 0; i < reported.size(); i++) {
            WorkerReport.Output o = reported.get(i);
            var out = task.getSpec().outputs.get(i);
            if (o.files() != null) {
                o.files().forEach(f -> System.out.println("output " + o.name() + " -> " + f
                        + "   watch: ffplay " + f + "   inspect: ffprobe -hide_banner " + f));
            } else if (out.url != null || out.urlFrom != null) {
                System.out.println("output " + o.name() + " -> network stream (see its " + (out.url != null ? "url)"
                        : "urlFrom: Secret " + out.urlFrom.secretKeyRef.getName() + ", key " + out.urlFrom.secretKeyRef.getKey() + ")"));
            }
            if (rt.mediaPort() > 0) {
                String base = "http://127.0.0.1:" + rt.mediaPort() + "/live/" + (out.streamId != null ? out.streamId : o.name());
                System.out.println("output " + o.name() + " -> play: ffplay " + base + ".flv   or   ffplay " + base + "/index.m3u8");
            }
        }
        long deadline = duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : Long.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            long wait = Math.min(5_000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (stopped.await(wait, TimeUnit.MILLISECONDS)) {
                return 0;
            }
            System.out.println(progress(rt.engine().report()));
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        if (metrics != null) {
            metrics.close();
        }
        rt.close();
        System.out.println("stopped after " + String.format("%.1f", rt.engine().mixSeconds()) + " s; " + resources());
        rt.engine().report().outputs().forEach(o -> System.out.println("output " + o.name() + ": " + o.state()
                + ", " + o.frames() + " video frames" + (o.files() != null ? ", file " + o.files() : "")));
        return 0;
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    private static String progress(WorkerReport r) {
        String ins = r.inputs().stream().map(i -> i.name() + " " + i.state() + (i.reason() != null ? " (" + i.reason() + ")" : ""))
                .collect(Collectors.joining(", "));
        String outs = r.outputs().stream().map(o -> o.name() + " " + o.state() + " " + o.frames() + " frames")
                .collect(Collectors.joining(", "));
        return "mix duration " + r.mixDurationSeconds() + " s [" + r.state() + "] inputs: " + ins + "; outputs: " + outs;
    }

    /** CPU time and peak resident memory of this process, from /proc (Linux). */
    static String resources() {
        String cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> String.format("%.2f", d.toMillis() / 1000.0))
                .orElse("?");
        String rss = "?";
        try {
            rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("?");
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux: leave it unknown
        }
        return "process CPU " + cpu + " s, peak RSS " + rss;
    }
}
