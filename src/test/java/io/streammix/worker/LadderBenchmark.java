package io.streammix.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.engine.scene.MixPlan;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A three-rung ladder from one composite: four 640x360@15 inputs in a 2x2 grid on a 1920x1080 canvas, encoded as
 * 1920x1080 (4 Mbit/s), 1280x720 (2 Mbit/s) and 854x480 (1 Mbit/s) H.264 with AAC 128k each; the worker (as a pod
 * runs it, {@link WorkerBench}) against ffmpeg's {@code split=3} + {@code scale} (bilinear, the engine's Scaler flags)
 * with the same encoder settings. Prints both figures and their ratio (the goal: worker at most 0.90 x ffmpeg) for
 * {@code -Dbenchmark.runs} (3) worker/ffmpeg pairs with their median, where each spends its CPU by thread, and for
 * each rung the PSNR and SSIM of the engine's pictures and of ffmpeg's against a common reference (FFmpeg's own
 * filters, {@link RungQuality#reference}), cell by cell, matched picture by picture, with the alignment used and the
 * frame counts, so that no ratio is bought with quality; it asserts only structure: both made the three rungs at their
 * sizes, frame counts within 10 % of each other, and the alignment matched most pictures. Needs the fast-jar;
 * run with {@code -Dtest.excludedGroups=none -Dtest=LadderBenchmark}.
 */
@Tag("benchmark")
class LadderBenchmark {
    /** Quality is compared over 6 s from 8 s into each file, the reference's picture up to 4 s earlier or later. */
    private static final int QUALITY_FROM = 120;
    private static final int QUALITY_FRAMES = 90;
    private static final int QUALITY_SHIFT = 60;
    /** Worker/ffmpeg measurement pairs ({@code -Dbenchmark.runs}); quality is measured on the files of the last. */
    private static final int RUNS = Integer.getInteger("benchmark.runs", 3);
    @TempDir
    Path dir;

    @Test
    void threeRungLadderAgainstFfmpegSplitAndScale() throws Exception {
        double warmup = 10;
        double end = 30;
        Path scratch = dir.resolve("scratch");
        Path out = Files.createDirectories(scratch.resolve("out"));
        Path a = out.resolve("a.mp4");
        Path b = out.resolve("b.mp4");
        WorkerBench.input(a, 440, (int) end + 8);
        WorkerBench.input(b, 880, (int) end + 8);
        List<Path> in = List.of(a, b, a, b);
        List<WorkerMemoryBenchmark.Rung> rungs = List.of(new WorkerMemoryBenchmark.Rung(1920, 1080, 4_000_000),
                new WorkerMemoryBenchmark.Rung(1280, 720, 2_000_000), new WorkerMemoryBenchmark.Rung(854, 480, 1_000_000));
        List<MixOutput> outputs = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            WorkerMemoryBenchmark.Rung r = rungs.get(i);
            outputs.add(WorkerMemoryBenchmark.output("r" + r.height(), out.resolve("engine" + i + ".mp4"), r.width(), r.height(), r.bitrate()));
        }
        MixTaskSpec spec = WorkerMemoryBenchmark.grid(in, 2, 1920, 1080, outputs);
        List<String> ff = WorkerMemoryBenchmark.ffmpegGrid(in, 2, 1920, 1080, rungs, end + 1, dir.resolve("ffmpeg"));

        System.out.printf("""
                        BENCHMARK ladder: four 640x360@15 inputs 2x2 on 1920x1080, rungs 1080p 4M / 720p 2M / 480p 1M (x264 veryfast zerolatency CBR), AAC 128k each
                          worker: java -jar target/quarkus-app/quarkus-run.jar worker, JAVA_TOOL_OPTIONS=%s MALLOC_ARENA_MAX=%s
                          ffmpeg: %s
                        """, WorkerBench.podJavaOptions(spec, scratch), io.streammix.operator.dependent.WorkerPodTemplate.MALLOC_ARENA_MAX,
                String.join(" ", ff));
        // CPU time on this shared 2-core machine moves ~10 % from run to run (no hardware counters in the VM for an
        // instruction count): RUNS pairs, worker then ffmpeg, each ratio printed, and their median.
        double[] ratios = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            WorkerBench.Figures e = WorkerBench.measure(WorkerBench.worker(spec, scratch, dir.resolve("worker.log")), warmup, end);
            WorkerBench.Figures f = WorkerBench.measure(WorkerBench.ffmpeg(dir.resolve("ffmpeg.log"), ff), warmup, end);
            ratios[run] = e.cpuPerSecond() / f.cpuPerSecond();
            System.out.printf("""
                              run %d of %d: steady CPU (%.0f..%.0f s): worker %.3f CPU s per media s, ffmpeg %.3f, ratio worker/ffmpeg %.2f (goal 0.90)
                                peak RSS: worker %d MiB, ffmpeg %d MiB
                                CPU by thread (CPU s per media s): worker %s
                                                                   ffmpeg %s
                            """, run + 1, RUNS, warmup, end, e.cpuPerSecond(), f.cpuPerSecond(), ratios[run], e.peakRssMib(),
                    f.peakRssMib(), ThreadCpu.describe(e.threadCpu(), 10), ThreadCpu.describe(f.threadCpu(), 10));
        }
        System.out.printf("  CPU ratio worker/ffmpeg per run %s, median %.2f (goal 0.90)%n",
                java.util.Arrays.stream(ratios).mapToObj(x -> String.format("%.2f", x)).toList(),
                java.util.Arrays.stream(ratios).sorted().toArray()[RUNS / 2]);
        for (int i = 0; i < rungs.size(); i++) {
            WorkerMemoryBenchmark.Rung r = rungs.get(i);
            // No ratio bought with quality: each rung, the engine's and ffmpeg's, against a common reference (the
            // sources scaled once, lanczos, lossless), aligned, with FFmpeg's psnr and ssim filters.
            Path ref = dir.resolve("reference" + i + ".mkv");
            RungQuality.reference(in, 2, 1920, 1080, r.width(), r.height(), WorkerMemoryBenchmark.COLOUR, WorkerMemoryBenchmark.FPS,
                    QUALITY_FROM + QUALITY_FRAMES + 2 * QUALITY_SHIFT, ref);
            // Cell by cell, each aligned on its own and frame by frame (RungQuality.compare): the engine anchors each
            // input when its first frame arrives and paces it on a live clock, repeating or dropping pictures. (The
            // engine scored ~20 dB here until issue 24's placement fix: each cell showed its source from (2, 2) on.) At
            // 480p ffmpeg's cells are 427 px wide (the composite scaled), the engine's 426 and 428 (the MixTask's rects
            // on the rung, even, as the reference places them): part of ffmpeg's lower score there is that, not blur.
            for (int c = 0; c < in.size(); c++) {
                int[] cell = WorkerMemoryBenchmark.cell(c, 2, 2, 1920, 1080);
                int x0 = MixPlan.Rung.map(cell[0], 1920, r.width());
                int y0 = MixPlan.Rung.map(cell[1], 1080, r.height());
                int cw = MixPlan.Rung.map(cell[0] + cell[2], 1920, r.width()) - x0;
                int ch = MixPlan.Rung.map(cell[1] + cell[3], 1080, r.height()) - y0;
                RungQuality.Result qe = RungQuality.compareCell(out.resolve("engine" + i + ".mp4"), ref, QUALITY_FROM, QUALITY_FRAMES,
                        QUALITY_SHIFT, x0, y0, cw, ch);
                RungQuality.Result qf = RungQuality.compareCell(dir.resolve("ffmpeg" + i + ".mp4"), ref, QUALITY_FROM, QUALITY_FRAMES,
                        QUALITY_SHIFT, x0, y0, cw, ch);
                System.out.printf("  quality %dx%d cell %d: PSNR engine %.2f / ffmpeg %.2f dB, SSIM engine %.4f / ffmpeg %.4f%n"
                                + "      engine %s%n      ffmpeg %s%n", r.width(), r.height(), c, qe.psnr(), qf.psnr(), qe.ssim(), qf.ssim(),
                        qe.describe(), qf.describe());
                // Structural only: the alignment found the pictures (not a quality threshold).
                assertThat(qe.frames()).as("engine pictures matched to the reference, rung %d cell %d", r.height(), c)
                        .isGreaterThanOrEqualTo(QUALITY_FRAMES * 3 / 4);
                assertThat(qf.frames()).as("ffmpeg pictures matched to the reference, rung %d cell %d", r.height(), c)
                        .isGreaterThanOrEqualTo(QUALITY_FRAMES * 3 / 4);
            }
            int engineFrames = RungQuality.count(out.resolve("engine" + i + ".mp4"));
            int ffmpegFrames = RungQuality.count(dir.resolve("ffmpeg" + i + ".mp4"));
            // The worker's JVM start costs it a second or two of the same wall-clock run; more than 10 % is structural.
            assertThat(Math.abs(engineFrames - ffmpegFrames)).as("frame count gap engine %d vs ffmpeg %d, rung %d", engineFrames,
                    ffmpegFrames, r.height()).isLessThanOrEqualTo(ffmpegFrames / 10);
            for (Path file : List.of(out.resolve("engine" + i + ".mp4"), dir.resolve("ffmpeg" + i + ".mp4"))) {
                JsonNode v = MediaTools.stream(MediaTools.probe(file), "video");
                assertThat(v).as(file + " has video").isNotNull();
                assertThat(v.get("width").asInt()).as(file + " width").isEqualTo(r.width());
                assertThat(v.get("height").asInt()).as(file + " height").isEqualTo(r.height());
            }
        }
    }
}
