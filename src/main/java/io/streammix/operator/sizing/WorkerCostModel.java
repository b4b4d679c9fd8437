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
 * engine: a fixed JVM/base term; per input, and per input that brings sound (resampled and mixed); per megapixel per
 * second an input brings (test pattern, other synthetic pictures, or decoded streams and files) and its scaler
 * writes; per composited canvas megapixel per second and per ladder-rung megapixel per second (the inputs' pictures
 * for each smaller output size and its canvas); per encoded megapixel per second by codec; per output (each encodes
 * audio and muxes) and per video output; memory likewise per megapixel held.
 *
 * <p>The coefficients are the non-negative least-squares fit of {@code WorkerCostCalibrationBenchmark}
 * (src/test/java/io/streammix/operator/sizing) on the development machine (2 cores, x86-64, Linux, shared with other
 * builds; the worker as its pod runs it: the default {@code javaOptions}, MALLOC_ARENA_MAX=2), H.264 at the engine's
 * veryfast/zerolatency and H.265 at its x265 settings. Re-measure them after a change to the engine or to the pod's JVM
 * flags with
 * {@code ./mvnw -B -q -o test -Dcontrol-plane.skip -Dpromtool.skip -Dtest.excludedGroups=none -Dtest=WorkerCostCalibrationBenchmark,WorkerCostExamplesBenchmark -Dsurefire.runOrder=alphabetical}
 * (the calibration prints the two arrays below and each case's fit error; the examples benchmark then prints the
 * examples against the arrays in this class and against the run's fresh fit).
 *
 * <p>The arrays below come from the calibration run of 2026-12-07 05:00 UTC on main after d4ca2ad (4:2:0 file
 * inputs, InputLayout's placement fix), 23 specs, fit within -14..+24 % of each but one (a single 320x180 pattern
 * into 640x360: -40 %, measured 163m where one 640x360 file into the same canvas took 100m; not explained). In the
 * same JVM the examples against this fit: background-watermark +10 %, grid-3x3 +1 %, h265-crf +3 %, multi-output-ladder
 * +20 %, picture-in-picture +7 %, recording-pvc +23 %, synthetic-demo +7 % (CPU), peak RSS -3..+3 %. The previous
 * arrays, fitted before the engine's placement fix and 4:2:0 inputs, were +58..+111 % on the same measurements.
 * What the new terms changed: the previous fit put the fixed cost on the per-output term (73.6m, base 0), so an
 * audio-only output (two beside a 720p output added 24m) or a second rung counted as a whole worker's start-up,
 * and every input paid for sound that seven of grid-3x3's nine do not bring (nine silent colours measured 84m, nine test patterns with a tone
 * 214m). The calibration now has 1 input into 1, 2 and 3 outputs of one size, 1 and 2 audio-only outputs beside a
 * video one, a 720p/480p/240p ladder, silent inputs, and nine small files beside nine test patterns. Fitted over the
 * old terms only, the same run gave grid-3x3 +30 %.
 *
 * <p>Content matters and is not a term: a flat colour encodes at a fraction of a moving picture's cost. The test
 * pattern's term carries most of that difference (a camera's picture moves), so a spec of still colours is predicted
 * from its colour inputs' cheaper terms.
 *
 * <p>An input's picture size is known only for synthetic inputs (their URL says it); a stream's or file's is taken
 * as its rect's size at the canvas frame rate, as a camera is usually sent at about the size it is shown.
 *
 * <p>Pure functions; any thread.
 */
public final class WorkerCostModel {
    /** The CPU terms, in the order of {@link #cpuFeatures}. */
    public static final List<String> CPU_TERMS = List.of("base", "per input", "per input with audio", "testsrc Mpx/s",
            "other synthetic Mpx/s", "decoded Mpx/s", "scaled Mpx/s", "canvas Mpx/s", "rung Mpx/s", "H.264 Mpx/s",
            "H.265 Mpx/s", "per output (its audio encode, muxing)", "per video output");
    /**
     * Millicores per unit of each CPU term. Zeros are the fit's (non-negative least squares drops a term that would
     * be negative): with sound and video outputs counted apart, an input's and a video output's own fixed cost are
     * within the noise of the other terms.
     */
    static final double[] CPU = {22.1444, 0.0000, 11.8141, 5.7655, 0.0000, 3.2427, 2.3039, 0.0000, 3.5383, 5.5741, 34.8999, 31.3914, 0.0000};

    /** Indices of the CPU terms in {@link #CPU_TERMS}. */
    static final int BASE = 0, INPUT = 1, INPUT_AUDIO = 2, TESTSRC = 3, OTHER_SYNTHETIC = 4, DECODED = 5, SCALED = 6,
            CANVAS = 7, RUNG = 8, H264 = 9, H265 = 10, OUTPUT = 11, VIDEO_OUTPUT = 12;

    /** The memory terms, in the order of {@link #memoryFeatures}. */
    public static final List<String> MEMORY_TERMS = List.of("base", "input Mpx", "canvas Mpx", "H.264 Mpx", "H.265 Mpx",
            "per output");
    /** MiB per unit of each memory term. */
    static final double[] MEMORY = {128.7608, 10.5111, 0.0000, 27.6633, 89.1592, 2.2461};

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
        f[BASE] = 1;
        MixOutput canvas = canvas(spec);
        int canvasFps = canvas == null ? 0 : canvas.video.fps == null ? 15 : canvas.video.fps;
        for (MixInput in : inputs(spec)) {
            f[INPUT]++;
            if (bringsAudio(in)) {
                f[INPUT_AUDIO]++;
            }
            Picture p = picture(in, canvasFps);
            if (p != null) {
                f[p.kind()] += p.megapixels() * p.fps();
                f[SCALED] += p.scaledMegapixels() * p.fps();
            }
        }
        if (canvas != null) {
            f[CANVAS] = mpx(canvas.video.width, canvas.video.height) * canvasFps;
            f[RUNG] = rungMegapixels(spec, canvas) * canvasFps;
        }
        for (MixOutput o : outputs(spec)) {
            if (o.hasVideo()) {
                int fps = o.video.fps == null ? canvasFps : o.video.fps;
                f[o.video.codecOrDefault() == VideoCodec.H265 ? H265 : H264] += mpx(o.video.width, o.video.height) * fps;
                f[VIDEO_OUTPUT]++;
            }
            f[OUTPUT]++; // every output encodes audio (absent: AAC-LC, 48 kbit/s, mono)
        }
        return f;
    }

    /**
     * Megapixels of the ladder's rungs: each other output size smaller than the canvas, once (as the engine's
     * {@code MixPlan.rungsOf}); the inputs make a picture for each rung and the clock draws each rung's canvas.
     */
    private static double rungMegapixels(MixTaskSpec spec, MixOutput canvas) {
        int w = canvas.video.width;
        int h = canvas.video.height;
        java.util.Set<Long> rungs = new java.util.HashSet<>();
        double sum = 0;
        for (MixOutput o : outputs(spec)) {
            if (o.hasVideo()) {
                int rw = (o.video.width + 1) & ~1;
                int rh = (o.video.height + 1) & ~1;
                if (rw <= w && rh <= h && (rw != w || rh != h) && rungs.add(((long) rw << 32) | rh)) {
                    sum += mpx(rw, rh);
                }
            }
        }
        return sum;
    }

    /** Whether an input brings sound to resample and mix: a synthetic tone, or a stream's or file's audio. */
    private static boolean bringsAudio(MixInput in) {
        if (!in.contentOrDefault().hasAudio()) {
            return false;
        }
        String url = in.url == null ? "" : in.url;
        if (url.startsWith("synthetic:testsrc") || url.startsWith("synthetic:color")) {
            return url.contains("tone=");
        }
        return true;
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
     * An input's pictures: which CPU term they feed (test pattern, other synthetic, or decoded), size and rate, and
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
            return new Picture(url.startsWith("synthetic:testsrc") ? TESTSRC : OTHER_SYNTHETIC, mpx(w, h), fps.find() ? Integer.parseInt(fps.group(1)) : 15, scaled);
        }
        int[] rect = rect(in);
        return rect == null || rect[0] <= 1 || rect[1] <= 1 ? null : new Picture(DECODED, mpx(rect[0], rect[1]), canvasFps, 0);
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
