package io.streammix.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process's threads by thread name, from {@code /proc/PID/task/*}/stat: where a benchmarked process
 * spends its CPU (no hardware counters needed; {@code perf stat -e instructions} is unsupported in this VM). A thread
 * started by native code inherits its creator's name, so x264's and the decoders' worker threads count under the
 * worker's {@code output-NAME} and {@code input-NAME} threads. The ffmpeg CLI names its own ({@code dec0:0:h264},
 * {@code enc0:0:libx264}, {@code fc0}, {@code mux0:mp4}, ...), but x264's worker threads are started from its filter
 * graph's thread and count under {@code fc0} (in LadderBenchmark fc0 shows ~0.77 CPU, the {@code enc*:libx264} threads
 * ~0.05 together). Threads that ended between two snapshots are not counted.
 */
final class ThreadCpu {
    static final double TICK = 100; // USER_HZ on Linux

    private ThreadCpu() {
    }

    /** utime + stime in ticks per thread name (threads of one name summed). */
    static Map<String, Long> snapshot(long pid) throws IOException {
        Map<String, Long> byName = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue; // the thread ended while listing
                }
                byName.merge(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks(stat), Long::sum);
            }
        }
        return byName;
    }

    /** utime + stime, in ticks, of a {@code /proc/.../stat} line (of a process: all its threads, ended ones too). */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** CPU seconds per second of each name between two snapshots {@code seconds} apart, largest first, zeros left out. */
    static Map<String, Double> perSecond(Map<String, Long> before, Map<String, Long> after, double seconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / TICK / seconds))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** "name 0.412, name 0.120, ..." for the first {@code n} entries, then the rest summed. */
    static String describe(Map<String, Double> perSecond, int n) {
        StringBuilder s = new StringBuilder();
        double rest = 0;
        int i = 0;
        for (Map.Entry<String, Double> e : perSecond.entrySet()) {
            if (i++ < n) {
                s.append(s.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(String.format("%.3f", e.getValue()));
            } else {
                rest += e.getValue();
            }
        }
        return rest > 0 ? s + String.format(", others %.3f", rest) : s.toString();
    }
}
