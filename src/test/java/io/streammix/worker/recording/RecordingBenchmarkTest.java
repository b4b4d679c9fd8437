package io.streammix.worker.recording;

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.Recording;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.engine.MixEngine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes on disk against wall time for a long recording (640x360@25, 1 Mbit/s CBR, AAC 128 kbit/s, rotated every
 * 60 s), with the heap used after a full GC sampled alongside: it must stay flat, the media going to disk and
 * nowhere else. {@code -Drecording.benchmark.seconds=} sets the length (default 600 s, 10 minutes),
 * {@code -Drecording.benchmark.sample=} the sampling period (default 30 s). Run with
 * {@code ./mvnw test -Dtest=RecordingBenchmarkTest -Dtest.excludedGroups=none -Drecording.benchmark.seconds=120}.
 */
@Tag("benchmark")
class RecordingBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void bytesOnDiskGrowWithWallTimeAndTheHeapStaysFlat() throws Exception {
        int seconds = Integer.getInteger("recording.benchmark.seconds", 600);
        int sample = Integer.getInteger("recording.benchmark.sample", 30);
        EngineRun.prepare();
        MixOutput out = MediaTools.fileOutput("rec", dir.resolve("bench.mp4"), 640, 360, 25);
        out.video.bitrate = 1_000_000;
        out.recording = new Recording();
        out.recording.rotateAfterSeconds = 60;
        var spec = MediaTools.spec(List.of(MediaTools.input("cam", "synthetic:testsrc?size=640x360&fps=25&tone=440", 0, 0, 640, 360, 0)),
                List.of(out));
        MixEngine engine = EngineRun.start(spec, dir);
        long start = System.nanoTime();
        long lastBytes = 0;
        double lastT = 0;
        List<Long> heaps = new ArrayList<>();
        System.out.printf("recording benchmark: %d s, sampled every %d s%n", seconds, sample);
        System.out.println("   t(s)   bytes on disk   bytes/s (last period)   heap after GC (MiB)   files   frames");
        try {
            for (int t = sample; t <= seconds; t += sample) {
                Thread.sleep(Math.max(0, start + t * 1_000_000_000L - System.nanoTime()) / 1_000_000);
                double now = (System.nanoTime() - start) / 1e9;
                long bytes = bytesOnDisk();
                long heap = heapAfterGc();
                heaps.add(heap);
                var rep = engine.report().outputs().get(0);
                System.out.printf("%7.1f %15d %23.0f %21.1f %7d %8d%n", now, bytes, (bytes - lastBytes) / (now - lastT),
                        heap / 1048576.0, rep.files().size(), rep.frames());
                lastBytes = bytes;
                lastT = now;
            }
        } finally {
            engine.close();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long total = bytesOnDisk();
        System.out.printf("total: %d bytes in %.1f s = %.0f bytes/s (%.0f kbit/s); heap after GC min %.1f MiB, max %.1f MiB, "
                        + "last-first %+.1f MiB%n", total, wall, total / wall, total * 8 / wall / 1000,
                heaps.stream().mapToLong(Long::longValue).min().orElse(0) / 1048576.0,
                heaps.stream().mapToLong(Long::longValue).max().orElse(0) / 1048576.0,
                heaps.isEmpty() ? 0 : (heaps.get(heaps.size() - 1) - heaps.get(0)) / 1048576.0);
        assertThat(total).isPositive();
    }

    private long bytesOnDisk() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("bench-")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
