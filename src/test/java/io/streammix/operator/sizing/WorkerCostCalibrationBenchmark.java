package io.streammix.operator.sizing;

import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.RateControl;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerBench;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Measures the coefficients of {@link WorkerCostModel}: runs the worker as its pod runs it ({@link PodWorkerRun}) on a
 * small set of calibration specs chosen so that each term varies on its own in at least one of them (canvas and
 * output size, a second output of the same size, H.265, frame rate, inputs of each kind, scaled to their rect or not,
 * an audio-only output), then
 * fits each term by least squares and prints the measured and fitted figures side by side and the two arrays to
 * paste into {@link WorkerCostModel}. Run with
 * {@code ./mvnw -B -q test -Dcontrol-plane.skip -Dpromtool.skip -Dtest.excludedGroups=none -Dtest=WorkerCostCalibrationBenchmark}.
 */
@Tag("benchmark")
class WorkerCostCalibrationBenchmark {
    /** This JVM's fresh fit, for WorkerCostExamplesBenchmark run after it (-Dsurefire.runOrder=alphabetical); null before. */
    static double[] lastCpu;
    static double[] lastMemory;
    /** This JVM's fit over the terms the model had before issue 24's calibration rework only (the others 0). */
    static double[] lastCpuOldTerms;
    /**
     * The CPU terms of the model before the split of per-input sound, ladder rungs and video outputs: base, per
     * input, testsrc, other synthetic, decoded, scaled, canvas, H.264, H.265, per output. The calibration also fits
     * over these only, so that a run shows what the new terms bring on the same measurements.
     */
    static final boolean[] OLD_TERMS = oldTerms();

    private static boolean[] oldTerms() {
        boolean[] old = new boolean[WorkerCostModel.CPU_TERMS.size()];
        java.util.Arrays.fill(old, true);
        old[WorkerCostModel.INPUT_AUDIO] = false;
        old[WorkerCostModel.RUNG] = false;
        old[WorkerCostModel.VIDEO_OUTPUT] = false;
        return old;
    }

    @TempDir
    Path dir;

    record Case(String name, Function<Path, MixTaskSpec> spec) {
    }

    @Test
    void fitCoefficients() throws Exception {
        List<Case> cases = List.of(
                new Case("1 testsrc 320x180 -> 640x360@15", d -> one(testsrc(320, 180), out(d, "o", 640, 360, 15))),
                new Case("1 testsrc 320x180 -> 1280x720@15", d -> one(testsrc(320, 180), out(d, "o", 1280, 720, 15))),
                new Case("1 testsrc 320x180 -> 1920x1080@15", d -> one(testsrc(320, 180), out(d, "o", 1920, 1080, 15))),
                new Case("1 testsrc 320x180 -> 1280x720@30", d -> one(testsrc(320, 180), out(d, "o", 1280, 720, 30))),
                new Case("1 testsrc 1280x720 -> 1280x720@15 (not scaled)", d -> one(testsrc(1280, 720), out(d, "o", 1280, 720, 15))),
                new Case("1 testsrc 320x180 -> 1280x720@15 H.265", d -> one(testsrc(320, 180), h265(out(d, "o", 1280, 720, 15)))),
                new Case("1 testsrc 320x180 -> 960x540@15 H.265 CRF", d -> one(testsrc(320, 180), crf(h265(out(d, "o", 960, 540, 15))))),
                new Case("1 testsrc -> 2 x 1280x720@15", d -> spec(List.of(testsrc(320, 180)),
                        List.of(out(d, "a", 1280, 720, 15), out(d, "b", 1280, 720, 15)))),
                new Case("1 testsrc -> 1280x720 + 640x360", d -> spec(List.of(testsrc(320, 180)),
                        List.of(out(d, "a", 1280, 720, 15), out(d, "b", 640, 360, 15)))),
                new Case("1 testsrc -> 3 x 1280x720@15", d -> spec(List.of(testsrc(320, 180)),
                        List.of(out(d, "a", 1280, 720, 15), out(d, "b", 1280, 720, 15), out(d, "c", 1280, 720, 15)))),
                new Case("1 testsrc -> 1280x720 + audio-only", d -> spec(List.of(testsrc(320, 180)),
                        List.of(out(d, "a", 1280, 720, 15), audioOnly(d, "audio")))),
                new Case("1 testsrc -> 1280x720 + 2 audio-only", d -> spec(List.of(testsrc(320, 180)),
                        List.of(out(d, "a", 1280, 720, 15), audioOnly(d, "audio1"), audioOnly(d, "audio2")))),
                // An audio-only output costs about the noise of one case (10-20m): four of them show it.
                new Case("1 testsrc -> 1280x720 + 4 audio-only", d -> spec(List.of(testsrc(320, 180)),
                        List.of(out(d, "a", 1280, 720, 15), audioOnly(d, "audio1"), audioOnly(d, "audio2"), audioOnly(d, "audio3"),
                                audioOnly(d, "audio4")))),
                new Case("1 testsrc 1280x720 -> 720p+480p+240p@10", d -> spec(List.of(testsrc(1280, 720)),
                        List.of(out(d, "a", 1280, 720, 15), out(d, "b", 854, 480, 15), out(d, "c", 426, 240, 10)))),
                new Case("4 testsrc 640x360 -> 1280x720@15", d -> grid(d, 4, 2, i -> "synthetic:testsrc?size=640x360&fps=15&tone=440")),
                new Case("4 testsrc 320x180 -> 1280x720@15 (scaled)", d -> grid(d, 4, 2, i -> "synthetic:testsrc?size=320x180&fps=15&tone=440")),
                new Case("4 colour 640x360 -> 1280x720@15", d -> grid(d, 4, 2, i -> "synthetic:color?color=#C03030&size=640x360&fps=15&tone=880")),
                new Case("4 testsrc 640x360 no tone -> 1280x720@15", d -> grid(d, 4, 2, i -> "synthetic:testsrc?size=640x360&fps=15")),
                new Case("9 testsrc 320x180 -> 960x540@15", d -> grid(d, 9, 3, i -> "synthetic:testsrc?size=320x180&fps=15&tone=660")),
                new Case("9 colour 320x180 no tone -> 960x540@15", d -> grid(d, 9, 3, i -> "synthetic:color?color=#30C030&size=320x180&fps=15")),
                new Case("9 files 320x180 -> 960x540@15", d -> grid(d, 9, 3, i -> smallFile(d, i))),
                new Case("1 file 640x360 -> 640x360@15", d -> fileCanvas(d)),
                new Case("2 files 640x360 -> 1280x720@15", d -> grid(d, 2, 2, i -> file(d, i))),
                new Case("4 files 640x360 -> 1280x720@15", d -> grid(d, 4, 2, i -> file(d, i))));
        List<double[]> cpuX = new ArrayList<>();
        List<double[]> memX = new ArrayList<>();
        double[] cpuY = new double[cases.size()];
        double[] memY = new double[cases.size()];
        for (int i = 0; i < cases.size(); i++) {
            Path d = Files.createDirectories(dir.resolve("case" + i));
            MixTaskSpec spec = cases.get(i).spec().apply(d);
            PodWorkerRun.Measured m = PodWorkerRun.measure(spec, d);
            cpuX.add(WorkerCostModel.cpuFeatures(spec));
            memX.add(WorkerCostModel.memoryFeatures(spec));
            cpuY[i] = m.millicores();
            memY[i] = m.peakRssMib();
            System.out.printf(Locale.ROOT, "CALIBRATION %-42s %7.0f m %5d MiB%n", cases.get(i).name(), m.millicores(), m.peakRssMib());
        }
        double[] cpu = LeastSquares.fitNonNegative(cpuX, cpuY);
        double[] mem = LeastSquares.fitNonNegative(memX, memY);
        double[] cpuOld = LeastSquares.fitNonNegative(cpuX, cpuY, OLD_TERMS);
        lastCpuOldTerms = cpuOld;
        lastCpu = cpu;
        lastMemory = mem;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "BENCHMARK worker cost calibration (steady CPU over %.0f..%.0f s, peak RSS; the pod's JVM flags: %s, heap ceiling per case: WorkerHeap)%n",
                PodWorkerRun.WARMUP, PodWorkerRun.END, io.streammix.operator.config.OperatorConfig.Worker.DEFAULT_JAVA_OPTIONS));
        table.append(String.format(Locale.ROOT, "  %-42s %9s %9s %6s %9s %6s %9s %9s %6s%n", "case", "CPU m", "fit m", "err",
                "old terms", "err", "RSS MiB", "fit MiB", "err"));
        for (int i = 0; i < cases.size(); i++) {
            double fc = dot(cpu, cpuX.get(i));
            double fo = dot(cpuOld, cpuX.get(i));
            double fm = dot(mem, memX.get(i));
            table.append(String.format(Locale.ROOT, "  %-42s %9.0f %9.0f %5.0f%% %9.0f %5.0f%% %9.0f %9.0f %5.0f%%%n", cases.get(i).name(),
                    cpuY[i], fc, 100 * (fc - cpuY[i]) / cpuY[i], fo, 100 * (fo - cpuY[i]) / cpuY[i],
                    memY[i], fm, 100 * (fm - memY[i]) / memY[i]));
        }
        table.append("  fit over the old terms only: CPU = ").append(literal(cpuOld)).append('\n');
        table.append("  CPU terms ").append(WorkerCostModel.CPU_TERMS).append('\n');
        table.append("  static final double[] CPU = ").append(literal(cpu)).append(";\n");
        table.append("  memory terms ").append(WorkerCostModel.MEMORY_TERMS).append('\n');
        table.append("  static final double[] MEMORY = ").append(literal(mem)).append(";\n");
        System.out.print(table);
    }

    static String literal(double[] c) {
        return Arrays.stream(c).mapToObj(v -> String.format(Locale.ROOT, "%.4f", v))
                .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * FFmpeg's test pattern with a tone: moving detail, as an encoder meets in a camera's picture (a flat colour encodes
     * at a fraction of the cost and made the first fit 20-30 % low on the examples), and audio, as a camera sends.
     */
    private static MixInput testsrc(int w, int h) {
        return MediaTools.input("in", "synthetic:testsrc?size=" + w + "x" + h + "&fps=15&tone=440", 0, 0, 2, 2, 0);
    }

    /** One decoded file filling a canvas of its own size. */
    private static MixTaskSpec fileCanvas(Path d) {
        return MediaTools.spec(List.of(MediaTools.input("in0", file(d, 0), 0, 0, 640, 360, 0)), List.of(out(d, "o", 640, 360, 15)));
    }

    /** One input filling the canvas of the (first) output. */
    private static MixTaskSpec one(MixInput in, MixOutput out) {
        in.rect.right = out.video.width;
        in.rect.bottom = out.video.height;
        return spec(List.of(in), List.of(out));
    }

    private static MixTaskSpec spec(List<MixInput> inputs, List<MixOutput> outputs) {
        MixOutput canvas = outputs.get(0);
        for (MixInput in : inputs) {
            if (in.rect.right == 2) {
                in.rect.right = canvas.video.width;
                in.rect.bottom = canvas.video.height;
            }
        }
        return MediaTools.spec(inputs, outputs);
    }

    /** n inputs in a grid of {@code cols} columns on a 16:9 canvas (1280x720, or 960x540 for 3 columns). */
    private static MixTaskSpec grid(Path d, int n, int cols, Function<Integer, String> url) {
        int w = cols == 3 ? 960 : 1280;
        int h = cols == 3 ? 540 : 720;
        int rows = (n + cols - 1) / cols;
        List<MixInput> in = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int cw = (w / cols) & ~1;
            int ch = (h / rows) & ~1;
            int x = (i % cols) * cw;
            int y = (i / cols) * ch;
            in.add(MediaTools.input("in" + i, url.apply(i), x, y, x + cw, y + ch, 0));
        }
        return MediaTools.spec(in, List.of(out(d, "o", w, h, 15)));
    }

    private static String file(Path d, int i) {
        try {
            Path f = PodWorkerRun.out(d, "input" + i + ".mp4");
            if (!Files.exists(f)) {
                WorkerBench.input(f, 440 + 110 * i, (int) PodWorkerRun.END + 10);
            }
            return f.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 320x180@15 H.264 file with a tone (4:2:0, like WorkerBench.input's), for a grid's cell of its size. */
    private static String smallFile(Path d, int i) {
        try {
            Path f = PodWorkerRun.out(d, "small" + i + ".mp4");
            if (!Files.exists(f)) {
                MediaTools.ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x180:rate=15", "-f", "lavfi", "-i",
                        "sine=frequency=" + (440 + 55 * i) + ":sample_rate=48000", "-t", String.valueOf((int) PodWorkerRun.END + 10),
                        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-b:v", "300k", "-g", "30",
                        "-c:a", "aac", "-b:a", "96k", "-ac", "2", f.toString());
            }
            return f.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static MixOutput out(Path d, String name, int w, int h, int fps) {
        try {
            MixOutput o = MediaTools.fileOutput(name, PodWorkerRun.out(d, name + ".mp4"), w, h, fps);
            o.video.bitrate = (int) Math.min(6_000_000, w * (long) h * fps / 6);
            return o;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MixOutput audioOnly(Path d, String name) {
        MixOutput o = out(d, name, 2, 2, 15);
        o.url = o.url.replace(".mp4", ".m4a");
        o.video = null;
        return o;
    }

    private static MixOutput h265(MixOutput o) {
        o.video.codec = VideoCodec.H265;
        return o;
    }

    private static MixOutput crf(MixOutput o) {
        o.video.rateControl = RateControl.CRF;
        o.video.quality = 28;
        return o;
    }
}
