package io.streammix.operator.sizing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.operator.dependent.WorkerPodTemplate;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerBench;
import io.streammix.worker.WorkerMain;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One worker JVM as its pod runs it (the pod's {@code JAVA_TOOL_OPTIONS} with the default memory limit as
 * {@code -XX:MaxRAM}, {@code MALLOC_ARENA_MAX}, the spec and token files of its Secret, a scratch directory), started
 * from the test class path so that no fast-jar is needed, and measured from /proc by {@link WorkerBench#measure}:
 * steady CPU over a window after a warm-up, peak RSS (VmHWM).
 */
final class PodWorkerRun {
    /** Start-up (JVM, FFmpeg's natives, first frames) is over by then; the window after it is the steady mix. */
    static final double WARMUP = 8;
    static final double END = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PodWorkerRun() {
    }

    /** Measured figures of one spec: millicores over the steady window and peak RSS in MiB. */
    record Measured(double millicores, long peakRssMib) {
    }

    static Measured measure(MixTaskSpec spec, Path dir) throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Files.createDirectories(scratch.resolve("out"));
        Path specFile = dir.resolve("spec.json");
        Files.write(specFile, JSON.writeValueAsBytes(new SpecSubmission(1, spec)));
        Path token = Files.writeString(dir.resolve("token"), "bench-token");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir",
                Path.of(System.getProperty("user.home"), ".javacpp", "cache").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-Dorg.bytedeco.javacpp.cachedir=" + cache,
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                "--control-port", String.valueOf(MediaTools.freePort()), "--metrics-port", String.valueOf(MediaTools.freePort()),
                "--media-port", String.valueOf(MediaTools.freePort()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MIXTASK_") || k.equals("JAVA_TOOL_OPTIONS") || k.startsWith("MALLOC_"));
        pb.environment().put(ControlApi.ENV_SPEC_FILE, specFile.toString());
        pb.environment().put(ControlApi.ENV_TOKEN_FILE, token.toString());
        pb.environment().put(ControlApi.ENV_SCRATCH_DIR, scratch.toString());
        pb.environment().put("MIXTASK_BIND_ADDRESS", "127.0.0.1");
        pb.environment().put("MALLOC_ARENA_MAX", WorkerPodTemplate.MALLOC_ARENA_MAX);
        pb.environment().put("JAVA_TOOL_OPTIONS", WorkerBench.podJavaOptions(spec, scratch));
        WorkerBench.Figures f = WorkerBench.measure(pb, WARMUP, END);
        return new Measured(f.cpuPerSecond() * 1000, f.peakRssMib());
    }

    /** Where a run's file outputs go: under the worker's scratch/out, the only files a pod's worker may write. */
    static Path out(Path dir, String file) throws IOException {
        return outDir(dir).resolve(file);
    }

    /** The directory of {@link #out}, created. */
    static Path outDir(Path dir) throws IOException {
        return Files.createDirectories(dir.resolve("scratch/out"));
    }
}
