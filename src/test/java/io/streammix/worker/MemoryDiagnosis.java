package io.streammix.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where a benchmarked process's memory goes, printed by {@link WorkerBench#measure} with {@code -Dbenchmark.diagnose=true}:
 * its threads by name (digits folded: {@code vert.x-eventloop-thread-#}), {@code /proc/PID/smaps_rollup}, and for a
 * JVM started with native memory tracking, {@code jcmd PID VM.native_memory summary}.
 */
final class MemoryDiagnosis {
    private MemoryDiagnosis() {
    }

    static String of(long pid) throws IOException, InterruptedException {
        StringBuilder s = new StringBuilder("  DIAGNOSIS of process ").append(pid).append('\n');
        s.append("    threads by name: ").append(threadsByName(pid)).append('\n');
        s.append("    smaps_rollup:\n");
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps_rollup"))) {
            s.append("      ").append(line).append('\n');
        }
        String nmt = jcmd(pid);
        if (nmt != null) {
            s.append("    VM.native_memory summary:\n");
            nmt.lines().filter(l -> !l.isBlank()).forEach(l -> s.append("      ").append(l).append('\n'));
        }
        return s.toString();
    }

    /** Thread names with their digits folded to '#', and how many threads have each. */
    static Map<String, Integer> threadsByName(long pid) throws IOException {
        Map<String, Integer> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    byName.merge(Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#"), 1, Integer::sum);
                } catch (IOException ended) {
                    // the thread ended while listing
                }
            }
        }
        return byName;
    }

    /** The NMT summary, or null when the process is no JVM or has tracking off. */
    private static String jcmd(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.exists(jcmd)) {
            return null;
        }
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.contains("Total")) {
            return null;
        }
        return out;
    }
}
