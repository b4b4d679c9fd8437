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
 * <p>The arrays below come from the calibration run of 2026-12-07 (FFmpeg's moving test pattern with a tone, 17
 * specs; fit within -8..+16 % of them). In the same JVM, {@code WorkerCostExamplesBenchmark} measured the examples
 * against this fit: background-watermark 0 %, synthetic-demo +10 %, h265-crf +10 %, picture-in-picture +18 %,
 * multi-output-ladder +27 %, recording-pvc +36 %, grid-3x3 +47 % (CPU); peak RSS -1..+9 %. The fit puts the fixed cost
 * on the per-output term (base 0: every calibration spec has an output, and few have two), so specs with several
 * outputs or many inputs come out high. The machine was shared and loaded (the previous fit, from a quieter hour,
 * predicted the same examples 14-55 % low in this run).
 *
 * <p>The picture-in-picture example was +57 % with the previous terms: its speaker is a 1280x720 test pattern in a
 * 1280x720 rect, which the engine passes to the canvas by reference, while the model's per-test-pattern-megapixel
 * coefficient had been fitted on small patterns scaled up to the canvas and on grids where it also carried the
 * per-input cost. The scaled-megapixel term separates the scaling (only the guest is scaled here), and the
 * calibration now has an unscaled 1280x720 pattern and four scaled 320x180 ones.
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
    /** Millicores per unit of each CPU term. */
    static final double[] CPU = {0.0000, 12.9861, 0, 11.9914, 0.0000, 8.3255, 5.2476, 0.0000, 0, 7.6382, 56.2411, 73.5791, 0};

    /** Indices of the CPU terms in {@link #CPU_TERMS}. */
    static final int BASE = 0, INPUT = 1, INPUT_AUDIO = 2, TESTSRC = 3, OTHER_SYNTHETIC = 4, DECODED = 5, SCALED = 6,
            CANVAS = 7, RUNG = 8, H264 = 9, H265 = 10, OUTPUT = 11, VIDEO_OUTPUT = 12;

    /** The memory terms, in the order of {@link #memoryFeatures}. */
    public static final List<String> MEMORY_TERMS = List.of("base", "input Mpx", "canvas Mpx", "H.264 Mpx", "H.265 Mpx",
            "per output");
    /** MiB per unit of each memory term. */
    static final double[] MEMORY = {131.4172, 8.7697, 2.5341, 31.0493, 96.4751, 0.6022};

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
