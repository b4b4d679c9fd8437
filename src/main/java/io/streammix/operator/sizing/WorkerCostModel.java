package io.streammix.operator.sizing;

import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.VideoCodec;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a worker costs for a spec, steady CPU (millicores) and peak RSS (MiB), as a sum of linear terms measured on this
 * engine: a fixed JVM/base term, a term per input and per megapixel per second it brings (test pattern, other
 * synthetic pictures, or decoded streams and files), per composited canvas megapixel per second, per encoded megapixel
 * per second by codec, and per output (each encodes audio); memory likewise per megapixel held.
 *
 * <p>The coefficients are the least-squares fit of {@code WorkerCostCalibrationBenchmark} (src/test/java/io/streammix/
 * operator/sizing) on the development machine (2 cores, x86-64, Linux; the worker as its pod runs it: the default
 * {@code javaOptions}, MALLOC_ARENA_MAX=2), H.264 at the engine's veryfast/zerolatency and H.265 at its x265 settings.
 * Re-measure them after a change to the engine or to the pod's JVM flags with
 * {@code ./mvnw -B -q test -Dcontrol-plane.skip -Dpromtool.skip -Dtest.excludedGroups=none -Dtest=WorkerCostCalibrationBenchmark}
 * (it prints the two arrays below) and check them with {@code WorkerCostExamplesBenchmark}.
 *
 * <p>The arrays below come from the first calibration run (2026-12-06, commit 76c46bd of the benchmark), whose
 * single-input cases drew a flat colour (a flat picture encodes at a fraction of a camera's cost). On the examples
 * ({@code WorkerCostExamplesBenchmark}) this fit predicted CPU 16-34 % low (picture-in-picture +5 %) in the run right
 * after it, and -7..+11 % (picture-in-picture +57 %: its 1280x720 test pattern is cheaper than the fit says) in a
 * later run, peak RSS within -6..+8 % in both: the same example's measured CPU moved by up to 30 % between the two
 * runs on this shared machine. The benchmark now calibrates on FFmpeg's moving test pattern with a tone; its first
 * run should replace these figures.
 *
 * <p>An input's picture size is known only for synthetic inputs (their URL says it); a stream's or file's is taken
 * as its rect's size at the canvas frame rate, as a camera is usually sent at about the size it is shown.
 *
 * <p>Pure functions; any thread.
 */
public final class WorkerCostModel {
    /** The CPU terms, in the order of {@link #cpuFeatures}. */
    public static final List<String> CPU_TERMS = List.of("base", "per input", "testsrc Mpx/s", "other synthetic Mpx/s",
            "decoded Mpx/s", "scaled Mpx/s", "canvas Mpx/s", "H.264 Mpx/s", "H.265 Mpx/s", "per output (its audio encode, muxing)");
    /** Millicores per unit of each CPU term. */
    static final double[] CPU = {14.9586, 0.0000, 11.6673, 2.3355, 7.8093, 0.0000, 0.0000, 5.2748, 18.0402, 15.8328};

    /** The memory terms, in the order of {@link #memoryFeatures}. */
    public static final List<String> MEMORY_TERMS = List.of("base", "input Mpx", "canvas Mpx", "H.264 Mpx", "H.265 Mpx",
            "per output");
    /** MiB per unit of each memory term. */
    static final double[] MEMORY = {118.8479, 16.5323, 12.1418, 25.5782, 89.7633, 0.0000};

    private static final Pattern SIZE = Pattern.compile("[?&]size=([0-9]+)x([0-9]+)");
    private static final Pattern FPS = Pattern.compile("[?&]fps=([0-9]+)");

    private WorkerCostModel() {
    }

    /** Predicted steady CPU and peak RSS of a worker running {@code spec}. */
    public record Cost(double millicores, double memoryMib) {
    }

    public static Cost predict(MixTaskSpec spec) {
        return predict(spec, CPU, MEMORY);
    }

    /** With other coefficients (a calibration's fresh fit), in the order of {@link #CPU_TERMS} and {@link #MEMORY_TERMS}. */
    static Cost predict(MixTaskSpec spec, double[] cpu, double[] memory) {
        return new Cost(dot(cpu, cpuFeatures(spec)), dot(memory, memoryFeatures(spec)));
    }

    /** The amounts of each CPU term ({@link #CPU_TERMS}) in {@code spec}. */
    public static double[] cpuFeatures(MixTaskSpec spec) {
        double[] f = new double[CPU_TERMS.size()];
        f[0] = 1;
        MixOutput canvas = canvas(spec);
        int canvasFps = canvas == null ? 0 : canvas.video.fps == null ? 15 : canvas.video.fps;
        for (MixInput in : inputs(spec)) {
            f[1]++;
            Picture p = picture(in, canvasFps);
            if (p != null) {
                f[p.kind()] += p.megapixels() * p.fps();
                f[5] += p.scaledMegapixels() * p.fps();
            }
        }
        if (canvas != null) {
            f[6] = mpx(canvas.video.width, canvas.video.height) * canvasFps;
        }
        for (MixOutput o : outputs(spec)) {
            if (o.hasVideo()) {
                int fps = o.video.fps == null ? canvasFps : o.video.fps;
                f[o.video.codecOrDefault() == VideoCodec.H265 ? 8 : 7] += mpx(o.video.width, o.video.height) * fps;
            }
            f[9]++; // every output encodes audio (absent: AAC-LC, 48 kbit/s, mono)
        }
        return f;
    }

    /** The amounts of each memory term ({@link #MEMORY_TERMS}) in {@code spec}. */
    public static double[] memoryFeatures(MixTaskSpec spec) {
        double[] f = new double[MEMORY_TERMS.size()];
        f[0] = 1;
        MixOutput canvas = canvas(spec);
        int canvasFps = canvas == null ? 0 : canvas.video.fps == null ? 15 : canvas.video.fps;
        for (MixInput in : inputs(spec)) {
            Picture p = picture(in, canvasFps);
            if (p != null) {
                f[1] += p.megapixels();
            }
        }
        if (canvas != null) {
            f[2] = mpx(canvas.video.width, canvas.video.height);
        }
        for (MixOutput o : outputs(spec)) {
            f[5]++;
            if (o.hasVideo()) {
                f[o.video.codecOrDefault() == VideoCodec.H265 ? 4 : 3] += mpx(o.video.width, o.video.height);
            }
        }
        return f;
    }

    /**
     * An input's pictures: which CPU term they feed (2 test pattern, 3 other synthetic, 4 decoded), size and rate, and
     * the megapixels its scaler writes per picture: its rect's when the picture is another size (the input thread
     * scales each picture to its rect), none when it is the rect's size (passed to the canvas by reference).
     */
    private record Picture(int kind, double megapixels, int fps, double scaledMegapixels) {
    }

    private static Picture picture(MixInput in, int canvasFps) {
        if (!in.contentOrDefault().hasVideo() || canvasFps == 0) {
            return null;
        }
        String url = in.url == null ? "" : in.url;
        if (url.startsWith("synthetic:")) {
            if (url.startsWith("synthetic:sine")) {
                return null;
            }
            Matcher size = SIZE.matcher(url);
            Matcher fps = FPS.matcher(url);
            int w = 640;
            int h = 360;
            if (size.find()) {
                w = Integer.parseInt(size.group(1));
                h = Integer.parseInt(size.group(2));
            }
            int[] rect = rect(in);
            double scaled = rect == null || (rect[0] == w && rect[1] == h) ? 0 : mpx(rect[0], rect[1]);
            return new Picture(url.startsWith("synthetic:testsrc") ? 2 : 3, mpx(w, h), fps.find() ? Integer.parseInt(fps.group(1)) : 15, scaled);
        }
        int[] rect = rect(in);
        return rect == null || rect[0] <= 1 || rect[1] <= 1 ? null : new Picture(4, mpx(rect[0], rect[1]), canvasFps, 0);
    }

    /** {width, height} of an input's rect, null when the spec leaves an edge out. */
    private static int[] rect(MixInput in) {
        if (in.rect == null || in.rect.right == null || in.rect.left == null || in.rect.bottom == null || in.rect.top == null) {
            return null;
        }
        return new int[]{in.rect.right - in.rect.left, in.rect.bottom - in.rect.top};
    }

    /** The first output with video: its size and rate are the canvas's. */
    private static MixOutput canvas(MixTaskSpec spec) {
        return outputs(spec).stream().filter(MixOutput::hasVideo).findFirst().orElse(null);
    }

    private static List<MixInput> inputs(MixTaskSpec spec) {
        return spec.inputs == null ? List.of() : spec.inputs;
    }

    private static List<MixOutput> outputs(MixTaskSpec spec) {
        return spec.outputs == null ? List.of() : spec.outputs;
    }

    private static double mpx(int w, int h) {
        return w * (double) h / 1e6;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
