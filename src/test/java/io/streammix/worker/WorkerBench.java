package io.streammix.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Quantity;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.dependent.WorkerPodTemplate;
import io.streammix.operator.sizing.WorkerHeap;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.media.Encoder;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the worker as its own process, started as the worker pod starts it ({@code java -jar quarkus-run.jar worker}
 * with the pod's environment: {@code JAVA_TOOL_OPTIONS} of the operator's default, {@code MALLOC_ARENA_MAX}, a
 * memory limit of {@link #POD_MEMORY_MIB} as {@code -XX:MaxRAM}, as the container's cgroup would give), or the bundled
 * ffmpeg, and samples either from /proc: CPU (utime + stime) over a steady window after a warm-up, and the peak
 * RSS (VmHWM). The fast-jar must be built and current: {@code ./mvnw -o package -DskipTests -Dcontrol-plane.skip}.
 */
public final class WorkerBench {
    /** The worker pod's default memory limit (OperatorConfig.Worker.memoryLimit), MiB. */
    public static final long POD_MEMORY_MIB = 1536;
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerBench() {
    }

    /**
     * What one process cost: CPU seconds per second over the window, peak RSS, threads at the end, and the CPU seconds
     * per second of its threads by name over the window ({@link ThreadCpu}, largest first).
     */
    public record Figures(double cpuPerSecond, long peakRssKb, int threads, Map<String, Double> threadCpu) {
        public long peakRssMib() {
            return peakRssKb / 1024;
        }
    }

    /** The fast-jar the image runs; fails when it is missing or older than the compiled classes. */
    public static Path fastJar() throws IOException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar + ": build it first (./mvnw -B -q -o package -DskipTests -Dcontrol-plane.skip)");
        }
        long built;
        try (Stream<Path> app = Files.list(Path.of("target/quarkus-app/app"))) {
            built = app.mapToLong(p -> p.toFile().lastModified()).max().orElse(0);
        }
        long newest;
        try (Stream<Path> classes = Files.walk(Path.of("target/classes/io/streammix/worker"))) {
            newest = classes.filter(p -> p.toString().endsWith(".class")).mapToLong(p -> p.toFile().lastModified()).max().orElse(0);
        }
        if (newest > built + 1000) {
            throw new IllegalStateException(jar + " is older than target/classes: rebuild it (./mvnw -B -q -o package -DskipTests -Dcontrol-plane.skip)");
        }
        return jar;
    }

    /**
     * The worker's JVM options exactly as the pod gets them (WorkerPodTemplate: the default options and the heap
     * ceiling of {@link WorkerHeap} for {@code spec} under {@link #POD_MEMORY_MIB}), plus the pod's memory limit.
     */
    public static String podJavaOptions(MixTaskSpec spec, Path scratch) {
        String options = new WorkerHeap(OperatorHarness.config(Map.of())).javaOptions(OperatorConfig.Worker.DEFAULT_JAVA_OPTIONS,
                spec, new Quantity(POD_MEMORY_MIB + "Mi"));
        return options + " -XX:MaxRAM=" + POD_MEMORY_MIB + "m -Djava.io.tmpdir=" + scratch;
    }

    /**
     * Starts the worker on {@code spec} with scratch directory {@code scratch} (its outputs and inputs belong under
     * {@code scratch/out}, the only files a worker in a pod may touch). The natives come from the JavaCPP cache the
     * tests use, so that a run does not unpack them again.
     */
    public static ProcessBuilder worker(MixTaskSpec spec, Path scratch, Path log) throws IOException {
        return worker(spec, scratch, log, fastJar());
    }

    /** {@link #worker(MixTaskSpec, Path, Path)} from another build's fast-jar (a copy of main's, to compare with). */
    public static ProcessBuilder worker(MixTaskSpec spec, Path scratch, Path log, Path jar) throws IOException {
        Files.createDirectories(scratch.resolve("out"));
        Path specFile = scratch.resolve("spec.json");
        Files.write(specFile, JSON.writeValueAsBytes(new SpecSubmission(1, spec)));
        Path token = Files.writeString(scratch.resolve("token"), "bench-token");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir",
                Path.of(System.getProperty("user.home"), ".javacpp", "cache").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-Dorg.bytedeco.javacpp.cachedir=" + cache, "-jar",
                jar.toAbsolutePath().toString(), "worker")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MIXTASK_") || k.equals("JAVA_TOOL_OPTIONS") || k.startsWith("MALLOC_"));
        pb.environment().put("MIXTASK_SPEC_FILE", specFile.toString());
        pb.environment().put("MIXTASK_TOKEN_FILE", token.toString());
        pb.environment().put("MIXTASK_SCRATCH_DIR", scratch.toString());
        pb.environment().put("MIXTASK_CONTROL_PORT", "0");
        pb.environment().put("MIXTASK_MEDIA_PORT", "0");
        pb.environment().put("MIXTASK_METRICS_PORT", "0");
        pb.environment().put("MIXTASK_BIND_ADDRESS", "127.0.0.1");
        pb.environment().put("MALLOC_ARENA_MAX", WorkerPodTemplate.MALLOC_ARENA_MAX);
        pb.environment().put("JAVA_TOOL_OPTIONS", podJavaOptions(spec, scratch) + benchmarkOnlyOptions());
        return pb;
    }

    /**
     * Options a benchmark run adds on request, never a pod: {@code -Dbenchmark.diagnose=true} turns on the JVM's native
     * memory tracking (read by {@link MemoryDiagnosis} at the end of the window; it costs a few MiB itself, so its runs
     * are not the RSS figures), {@code -Dbenchmark.worker-http=off} runs the worker without its three HTTP servers
     * (WorkerMain's {@value WorkerMain#BENCHMARK_WITHOUT_HTTP}: what the HTTP layer costs).
     */
    static String benchmarkOnlyOptions() {
        String extra = "";
        if (Boolean.getBoolean("benchmark.diagnose")) {
            extra += " -XX:NativeMemoryTracking=summary";
        }
        if ("off".equals(System.getProperty("benchmark.worker-http"))) {
            extra += " -D" + WorkerMain.BENCHMARK_WITHOUT_HTTP + "=true";
        }
        return extra;
    }

    /** The bundled ffmpeg with these arguments (its libraries beside it), quiet, output to {@code log}. */
    public static ProcessBuilder ffmpeg(Path log, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(MediaTools.FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LD_LIBRARY_PATH", new File(MediaTools.FFMPEG).getParent());
        return pb;
    }

    /**
     * Starts the process, samples its CPU at {@code warmup} and {@code end} seconds and its peak RSS at {@code end},
     * then stops it (SIGTERM: a worker closes its outputs; ffmpeg finishes its file) and waits for it.
     */
    public static Figures measure(ProcessBuilder pb, double warmup, double end) throws Exception {
        Process p = pb.start();
        try {
            long t0 = System.nanoTime();
            sleepUntil(t0, warmup);
            double c0 = cpu(p.pid());
            Map<String, Long> byThread0 = ThreadCpu.snapshot(p.pid());
            sleepUntil(t0, end);
            double c1 = cpu(p.pid());
            Map<String, Long> byThread1 = ThreadCpu.snapshot(p.pid());
            long hwm = status(p.pid(), "VmHWM:");
            int threads;
            try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(p.pid()), "task"))) {
                threads = (int) tasks.count();
            }
            if (Boolean.getBoolean("benchmark.diagnose")) {
                System.out.println(MemoryDiagnosis.of(p.pid()));
            }
            return new Figures((c1 - c0) / (end - warmup), hwm, threads, ThreadCpu.perSecond(byThread0, byThread1, end - warmup));
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static void sleepUntil(long t0, double seconds) throws InterruptedException {
        long wait = (long) (seconds * 1e9) - (System.nanoTime() - t0);
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
    }

    /** utime + stime of the whole process (all its threads), in seconds. */
    static double cpu(long pid) throws IOException {
        return ThreadCpu.ticks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat"))) / ThreadCpu.TICK;
    }

    static long status(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(l -> l.startsWith(field)).map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst()
                .orElseThrow(() -> new IOException("no " + field + " for process " + pid));
    }

    /**
     * A 640x360@15 H.264 (4:2:0, as cameras and live encoders send; {@code -Dbenchmark.input-pix-fmt=yuv444p} gives the
     * High 4:4:4 inputs these benchmarks used until issue 24's second pass, which made both sides convert every picture)
     * + AAC file with a {@code tone} Hz sine, {@code seconds} long.
     */
    public static void input(Path file, int tone, int seconds) throws IOException, InterruptedException {
        MediaTools.ffmpeg("-f", "lavfi", "-i", "testsrc=size=640x360:rate=15", "-f", "lavfi", "-i",
                "sine=frequency=" + tone + ":sample_rate=48000", "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset",
                "veryfast", "-pix_fmt", System.getProperty("benchmark.input-pix-fmt", "yuv420p"), "-b:v", "800k", "-g", "30",
                "-c:a", "aac", "-b:a", "96k", "-ac", "2", file.toString());
    }

    /**
     * ffmpeg's video encoder options equal to what {@code Encoder.video} opens for a CBR H.264 output: preset veryfast,
     * tune zerolatency (no B-frames, no lookahead, sliced threads), a keyframe every 2 s and none at scene cuts,
     * forced keyframes as IDR, rate = max rate = VBV buffer, the engine's thread count (Encoder.codecThreads).
     */
    public static List<String> x264(int fps, int bitrate) {
        String b = String.valueOf(bitrate);
        return List.of("-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", b, "-maxrate", b,
                "-bufsize", b, "-g", String.valueOf(2 * fps), "-sc_threshold", "0", "-forced-idr", "1", "-threads", String.valueOf(Encoder.codecThreads()));
    }

    /** The engine's audio encode of an output: AAC-LC, 48 kHz stereo at {@code bitrate}. */
    public static List<String> aac(int bitrate) {
        return List.of("-c:a", "aac", "-b:a", String.valueOf(bitrate), "-ac", "2", "-ar", "48000");
    }

    /**
     * An input as the engine opens it: decoded with slice threads only (Decoder: frame threads would add a frame of
     * delay per thread), as many as the engine's (Encoder.codecThreads), read at its own rate.
     */
    public static List<String> liveInput(Path file) {
        return List.of("-thread_type", "slice", "-threads", String.valueOf(Encoder.codecThreads()), "-re", "-i", file.toString());
    }
}
