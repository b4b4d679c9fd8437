package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.SeiMode;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.streammix.worker.MediaTools.input;

/**
 * What SEI and bypass cost, in this JVM (process CPU time over the same wall time, after a warm-up run): one
 * 1280x720@30 file input mixed to one 1280x720@30 x264 veryfast 2 Mbit/s output without SEI, with userData on
 * every frame plus sound levels, and bypassed to the same file. Run with {@code -Dtest.excludedGroups=none}.
 */
@Tag("benchmark")
class SeiBypassBenchmarkTest {
    private static final double SECONDS = 10;

    @TempDir
    Path dir;

    @Test
    void seiAndBypassCost() throws Exception {
        Path in = dir.resolve("in.mp4");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "12", "-c:v", "libx264", "-preset", "veryfast", "-b:v", "3M", "-g", "60", "-c:a", "aac", in.toString());
        run("warmup", spec(in, false, false));
        double[] plain = run("plain", spec(in, false, false));
        double[] sei = run("sei", spec(in, true, false));
        double[] bypass = run("bypass", spec(in, false, true));
        System.out.printf("""
                        BENCHMARK 1280x720@30 file input, %.0f s wall each, process CPU s per wall s and output bytes per s
                          mix, no SEI:                          %.3f CPU s/s, %.0f B/s
                          mix, userData 200 B every frame + sound levels: %.3f CPU s/s, %.0f B/s (%+.0f B/s: with CBR the
                            encoder's rate control counts the SEI bytes, so they come out of the pictures' budget)
                          bypass (remux only):                  %.3f CPU s/s, %.0f B/s
                        """, SECONDS, plain[0], plain[1], sei[0], sei[1], sei[1] - plain[1], bypass[0], bypass[1]);
    }

    private MixTaskSpec spec(Path in, boolean sei, boolean bypass) {
        MixInput i = input("cam", in.toString(), 0, 0, 1280, 720, 0);
        i.loop = true;
        MixOutput o = MediaTools.fileOutput("out", dir.resolve("out-" + System.nanoTime() + ".mp4"), 1280, 720, 30);
        o.video.bitrate = 2_000_000;
        MixTaskSpec s = MediaTools.spec(List.of(i), List.of(o));
        if (sei) {
            s.userData = "x".repeat(200);
            s.seiMode = SeiMode.EveryFrame;
            s.soundLevel = true;
        }
        s.bypass = bypass;
        return s;
    }

    /** CPU seconds per wall second and output bytes per second over the run. */
    private double[] run(String name, MixTaskSpec spec) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        var engine = EngineRun.start(spec, dir);
        Thread.sleep((long) (SECONDS * 1000));
        engine.close();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        long bytes = Files.size(Path.of(spec.outputs.get(0).url));
        return new double[]{cpu / wall, bytes / wall};
    }
}
