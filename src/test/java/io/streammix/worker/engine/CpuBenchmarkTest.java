package io.streammix.worker.engine;

import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPU per media second of this engine (a child JVM running the local run) against the bundled ffmpeg doing
 * the same composite and encode from the same two files: 640x360@15 side by side on 1280x360, x264 veryfast
 * 1 Mbit/s CBR, AAC 128 kbit/s stereo, both reading at real time. Both processes are sampled over the same
 * steady-state window (from {@link #WARMUP} s to {@link #MEDIA} s) from /proc; whole-run figures and peak RSS
 * are printed too. Run with {@code -Dtest.excludedGroups=none}.
 */
@Tag("benchmark")
class CpuBenchmarkTest {
    static final int MEDIA = 32;
    static final int WARMUP = 12; // JIT compilation settles within ~10 s
    private static final long TICK = 100; // USER_HZ on Linux

    @TempDir
    Path dir;

    record Sample(double cpuSeconds, long rssKb) {
    }

    @Test
    void engineVersusFfmpeg() throws Exception {
        Path a = dir.resolve("a.mp4");
        Path b = dir.resolve("b.mp4");
        for (Path p : List.of(a, b)) {
            String tone = p == a ? "440" : "880";
            MediaTools.ffmpeg("-f", "lavfi", "-i", "testsrc=size=640x360:rate=15", "-f", "lavfi", "-i",
                    "sine=frequency=" + tone + ":sample_rate=48000", "-t", String.valueOf(MEDIA + 4), "-c:v", "libx264", "-preset",
                    "veryfast", "-b:v", "800k", "-g", "30", "-c:a", "aac", "-b:a", "96k", "-ac", "2", p.toString());
        }

        Path yaml = Files.writeString(dir.resolve("bench.yaml"), """
                apiVersion: streammix.io/v1alpha1
                kind: MixTask
                metadata: {name: bench}
                spec:
                  inputs:
                    - {name: a, url: "%s", rect: {left: 0, top: 0, right: 640, bottom: 360}}
                    - {name: b, url: "%s", rect: {left: 640, top: 0, right: 1280, bottom: 360}}
                  outputs:
                    - name: out
                      url: "%s"
                      video: {width: 1280, height: 360, fps: 15, bitrate: 1000000, codec: H264, rateControl: CBR}
                      audio: {codec: AAC_LC, bitrate: 128000, channels: 2}
                """.formatted(a, b, dir.resolve("engine.mp4")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder engine = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.streammix.local.LocalRun", yaml.toString(), "--duration", String.valueOf(MEDIA))
                .redirectErrorStream(true).redirectOutput(dir.resolve("engine.log").toFile());
        Sample[] e = measure(engine);

        // The same encode as the engine's (Encoder.video: veryfast, zerolatency, 2 s GOP, no scene cuts, CBR with VBV,
        // x264's own threads) and the same decoding (slice threads); without tune=zerolatency ffmpeg's x264 ran with
        // lookahead and B-frames, another encode than the engine's.
        List<String> args = new ArrayList<>();
        args.addAll(List.of(MediaTools.FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error"));
        args.addAll(io.streammix.worker.WorkerBench.liveInput(a));
        args.addAll(io.streammix.worker.WorkerBench.liveInput(b));
        args.addAll(List.of("-filter_complex", "[0:v][1:v]hstack=inputs=2[v];[0:a][1:a]amix=inputs=2:normalize=0[a]",
                "-map", "[v]", "-map", "[a]"));
        args.addAll(io.streammix.worker.WorkerBench.x264(15, 1_000_000));
        args.addAll(io.streammix.worker.WorkerBench.aac(128_000));
        args.addAll(List.of("-t", String.valueOf(MEDIA + 1), "-y", dir.resolve("ffmpeg.mp4").toString()));
        ProcessBuilder ffmpeg = new ProcessBuilder(args)
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile());
        ffmpeg.environment().put("LD_LIBRARY_PATH", new File(MediaTools.FFMPEG).getParent());
        Sample[] f = measure(ffmpeg);

        double window = MEDIA - WARMUP;
        double engineRate = (e[1].cpuSeconds() - e[0].cpuSeconds()) / window;
        double ffmpegRate = (f[1].cpuSeconds() - f[0].cpuSeconds()) / window;
        System.out.printf("""
                        BENCHMARK two 640x360@15 inputs side by side on 1280x360, x264 veryfast 1 Mbit/s, AAC 128k, %d s of media
                          engine: Encoder.video libx264 preset=veryfast tune=zerolatency gop=30 sc_threshold=0 forced-idr=1 thread_count=availableProcessors bit_rate=rc_max_rate=rc_buffer_size=1000000, aac 128k
                          ffmpeg: %s
                          steady state (%d..%d s): engine %.3f CPU s per media s, ffmpeg %.3f, ratio engine/ffmpeg %.2f
                          whole run incl. start-up: engine %.2f CPU s (%.3f per media s), ffmpeg %.2f CPU s (%.3f per media s), ratio %.2f
                          peak RSS: engine (JVM) %d MiB, ffmpeg %d MiB
                        """, MEDIA, String.join(" ", args.subList(1, args.size())), WARMUP, MEDIA, engineRate, ffmpegRate, engineRate / ffmpegRate,
                e[1].cpuSeconds(), e[1].cpuSeconds() / MEDIA, f[1].cpuSeconds(), f[1].cpuSeconds() / MEDIA,
                e[1].cpuSeconds() / f[1].cpuSeconds(), e[1].rssKb() / 1024, f[1].rssKb() / 1024);
        assertThat(MediaTools.probe(dir.resolve("engine.mp4")).get("streams").size()).isEqualTo(2);
        assertThat(MediaTools.probe(dir.resolve("ffmpeg.mp4")).get("streams").size()).isEqualTo(2);
    }

    /** Starts the process and samples its CPU at WARMUP and just before MEDIA seconds. */
    static Sample[] measure(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        long t0 = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        for (double at : new double[]{WARMUP, MEDIA - 0.3}) {
            long wait = (long) (at * 1e9) - (System.nanoTime() - t0);
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
            samples.add(sample(p.pid()));
        }
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return samples.toArray(Sample[]::new);
    }

    static Sample sample(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICK; // utime, stime
        long rss = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(l -> l.startsWith("VmHWM:")).map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
        return new Sample(cpu, rss);
    }
}
