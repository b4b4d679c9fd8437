package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A/V sync of the output: the flashbeep source turns white and beeps at the same instant each second; in the
 * encoded output, every flash (first bright frame) is paired with the nearest beep onset and the skew printed.
 */
class AvSyncMediaTest {
    @TempDir
    Path dir;

    @Test
    void flashesAndBeepsStayWithin40ms() throws Exception {
        measure(15);
    }

    /** An input at another rate than the output: its pictures are resampled to the output ticks (nearest picture). */
    @Test
    void flashesAndBeepsStayWithin40msWhenInputRateDiffers() throws Exception {
        measure(12);
    }

    private void measure(int inputFps) throws Exception {
        Path out = dir.resolve("sync.mp4");
        // The flashbeep input sits beside a second input, as in a real mix; the output runs at its own 15 fps clock.
        MixTaskSpec spec = MediaTools.spec(List.of(
                        input("sync", "synthetic:flashbeep?size=320x240&fps=" + inputFps + "&frequency=1000", 0, 0, 320, 240, 0),
                        input("other", "synthetic:testsrc?size=320x240&fps=15&tone=300", 320, 0, 640, 240, 0)),
                List.of(MediaTools.fileOutput("main", out, 640, 240, 15)));
        spec.inputs.get(1).volume = 0; // keep the beep alone in the audio for onset detection
        EngineRun.runFor(spec, dir, 6.0);

        List<Double> flashes = flashOnsets(out);
        List<Double> beeps = beepOnsets(out);
        List<Double> skews = new ArrayList<>();
        for (double f : flashes) {
            beeps.stream().min((a, b) -> Double.compare(Math.abs(a - f), Math.abs(b - f)))
                    .filter(b -> Math.abs(b - f) < 0.5)
                    .ifPresent(b -> skews.add(b - f));
        }
        System.out.printf("A/V sync, input at " + inputFps + " fps, output at 15 fps: flashes at %s, beeps at %s, skew (audio - video) ms: %s%n", fmt(flashes), fmt(beeps),
                skews.stream().map(s -> String.format("%+.1f", s * 1000)).toList());
        assertThat(skews).as("at least four flash/beep pairs in ~5 s of mix").hasSizeGreaterThanOrEqualTo(4);
        assertThat(skews).allSatisfy(s -> assertThat(Math.abs(s)).as("skew %.1f ms", s * 1000).isLessThanOrEqualTo(0.040));
    }

    private static String fmt(List<Double> l) {
        return l.stream().map(d -> String.format("%.3f", d)).toList().toString();
    }

    /**
     * Both media are read the way a player presents them: through lavfi's movie/amovie sources, which keep each
     * frame's timestamp (counting decoded samples instead would ignore gaps and the encoder's priming).
     */
    private static List<double[]> lavfiSeries(Path file, String graph, String tag) throws Exception {
        assertThat(file.toString()).as("path needs no escaping in a filter graph").matches("[A-Za-z0-9/_.-]+");
        String csv = new String(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-f", "lavfi", "-i", graph.replace("FILE", file.toString()),
                "-show_entries", "frame=pts_time:frame_tags=" + tag, "-of", "csv=p=0"));
        List<double[]> series = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length == 2) {
                double v = f[1].contains("inf") ? -200 : Double.parseDouble(f[1]);
                series.add(new double[]{Double.parseDouble(f[0]), v});
            }
        }
        return series;
    }

    /** Times of frames whose average luma (left input's rect) turns bright while the frame before was dark. */
    static List<Double> flashOnsets(Path file) throws Exception {
        List<double[]> luma = lavfiSeries(file, "movie=FILE,crop=320:240:0:0,signalstats", "lavfi.signalstats.YAVG");
        List<Double> onsets = new ArrayList<>();
        for (int i = 1; i < luma.size(); i++) {
            if (luma.get(i)[1] > 128 && luma.get(i - 1)[1] < 128) {
                onsets.add(luma.get(i)[0]);
            }
        }
        return onsets;
    }

    /** Start times of 1 ms audio blocks whose peak rises above -20 dBFS after at least 300 ms below it. */
    static List<Double> beepOnsets(Path file) throws Exception {
        List<double[]> peaks = lavfiSeries(file, "amovie=FILE,aresample=48000,asetnsamples=48,astats=metadata=1:reset=1",
                "lavfi.astats.Overall.Peak_level");
        List<Double> onsets = new ArrayList<>();
        double quietSince = Double.NEGATIVE_INFINITY;
        boolean loud = true;
        for (double[] p : peaks) {
            if (p[1] > -20) {
                if (!loud && p[0] - quietSince >= 0.3) {
                    onsets.add(p[0]);
                }
                loud = true;
            } else if (loud) {
                loud = false;
                quietSince = p[0];
            }
        }
        return onsets;
    }
}
