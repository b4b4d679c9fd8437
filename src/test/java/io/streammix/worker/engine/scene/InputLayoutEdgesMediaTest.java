package io.streammix.worker.engine.scene;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.RateControl;
import io.streammix.api.v1alpha1.RenderMode;
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
 * Each input fills its rect exactly, edge to edge, on the canvas and on every rung of a ladder: a 640x360 source
 * framed by a 4-pixel white border around mid grey fills the four 960x540 cells of a 2x2 grid on a 1920x1080 canvas
 * (three cells Crop, the first Fit: same aspect, and exact on every rung), encoded at 1920x1080, 1280x720 (the
 * source's own size per cell, drawn without scaling) and 854x480. On every frame that shows the inputs, each cell's
 * first and last rows and columns are the border, as wide as the border is at that scale (6 px on the canvas, 4 at
 * 720p, 2 at 480p), and the pixels just past it are the grey inside: a picture shifted, cropped or padded by a pixel
 * or two shows grey, background or what lies past the source on an edge. (Placement offsets of 0 were rounded up to 2
 * until issue 24: each picture showed its source from (2, 2) on, 3 px up and left on the canvas, its last rows and
 * columns read from past the picture; Fit pictures sat 2 px right and down, over their neighbours.)
 */
class InputLayoutEdgesMediaTest {
    private static final int CANVAS_W = 1920;
    private static final int CANVAS_H = 1080;
    private static final int SRC_W = 640;
    private static final int SRC_H = 360;
    /** The source's border, in source pixels (luma 235); inside it, luma 128. */
    private static final int BORDER = 4;
    /** The least each RGB channel of the border may decode to (its scaled edge blends a little towards the grey). */
    private static final int WHITE_MIN = 200;

    @TempDir
    Path dir;

    @Test
    void everyCellShowsItsWholeSourceEdgeToEdgeOnTheCanvasAndEveryRung() throws Exception {
        Path src = dir.resolve("framed.mkv");
        // Lossless, so that the engine decodes exactly this picture.
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=black:s=" + SRC_W + "x" + SRC_H + ":r=15", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000", "-vf", "geq=lum='if(lt(X," + BORDER + ")+gt(X," + (SRC_W - 1 - BORDER)
                        + ")+lt(Y," + BORDER + ")+gt(Y," + (SRC_H - 1 - BORDER) + "),235,128)':cb=128:cr=128", "-t", "8",
                "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", src.toString());
        int[][] sizes = {{1920, 1080}, {1280, 720}, {854, 480}};
        List<MixOutput> outputs = new ArrayList<>();
        for (int[] s : sizes) {
            MixOutput o = MediaTools.fileOutput("r" + s[1], dir.resolve("r" + s[1] + ".mp4"), s[0], s[1], 15);
            // Near-lossless (rate capped at the most the spec allows): what is measured is the drawing, not the encoder.
            o.video.rateControl = RateControl.CRF;
            o.video.quality = 10;
            o.video.bitrate = 10_000_000;
            outputs.add(o);
        }
        List<MixInput> in = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int[] r = cell(c);
            MixInput i = input("in" + c, src.toString(), r[0], r[1], r[0] + r[2], r[1] + r[3], 0);
            // Fit where the source fills the cell exactly on every output (cell 0 is 426 wide at 854x480, the others 428).
            i.renderMode = c == 0 ? RenderMode.Fit : RenderMode.Crop;
            in.add(i);
        }
        MixTaskSpec spec = MediaTools.spec(in, outputs);
        spec.background = new Background("#203040", null);
        EngineRun.runFor(spec, dir, 3.5);

        for (int[] s : sizes) {
            int w = s[0];
            int h = s[1];
            List<int[]> cells = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                cells.add(onRung(cell(c), w, h));
            }
            Wrong wrong = new Wrong();
            int[] shown = new int[2]; // frames checked, frames before the inputs showed
            int frames = MediaTools.eachFrame(dir.resolve("r" + h + ".mp4"), w, h, (n, t, p) -> {
                if (shown[0] == 0 && !cells.stream().allMatch(r -> grey(p, r[0] + r[2] / 2, r[1] + r[3] / 2))) {
                    shown[1]++; // the background before the inputs are live: nothing to check yet
                    return;
                }
                shown[0]++;
                for (int c = 0; c < 4; c++) {
                    checkCell(p, cells.get(c), "frame " + n + " (" + w + "x" + h + ") cell " + c, wrong);
                }
            });
            System.out.printf("InputLayoutEdgesMediaTest %dx%d: %d frames, %d before the inputs showed, %d checked, %d wrong pixels%n",
                    w, h, frames, shown[1], shown[0], wrong.count);
            assertThat(wrong.first).as("wrong pixels on the cell edges of the %dx%d output (%d in all, the first ones)", w, h,
                    wrong.count).isEmpty();
            assertThat(shown[0]).as("frames of the %dx%d output showing the inputs", w, h).isGreaterThanOrEqualTo(20);
            assertThat(shown[1]).as("frames of the %dx%d output before the inputs showed", w, h).isLessThan(15);
        }
    }

    /**
     * The cell {@code r} = {x, y, w, h}: its outer {@code band} rows and columns on each side white (the border, as
     * wide as it is at this scale), and the row and column {@code inset} inside each edge grey (just past the border).
     */
    private static void checkCell(MediaTools.Picture p, int[] r, String cell, Wrong wrong) {
        double scale = Math.min(r[2] / (double) SRC_W, r[3] / (double) SRC_H);
        int band = (int) Math.floor(BORDER * scale);
        int inset = (int) Math.ceil(BORDER * scale) + 2;
        int x0 = r[0];
        int y0 = r[1];
        int x1 = r[0] + r[2] - 1;
        int y1 = r[1] + r[3] - 1;
        String where = cell + " " + r[2] + "x" + r[3] + " at (" + x0 + "," + y0 + ")";
        for (int d = 0; d < band; d++) {
            for (int x = x0; x <= x1; x++) {
                white(p, x, y0 + d, where + ", row " + d + " from the top", wrong);
                white(p, x, y1 - d, where + ", row " + d + " from the bottom", wrong);
            }
            for (int y = y0; y <= y1; y++) {
                white(p, x0 + d, y, where + ", column " + d + " from the left", wrong);
                white(p, x1 - d, y, where + ", column " + d + " from the right", wrong);
            }
        }
        for (int x = x0 + inset; x <= x1 - inset; x++) {
            grey(p, x, y0 + inset, where + ", " + inset + " px below the top", wrong);
            grey(p, x, y1 - inset, where + ", " + inset + " px above the bottom", wrong);
        }
        for (int y = y0 + inset; y <= y1 - inset; y++) {
            grey(p, x0 + inset, y, where + ", " + inset + " px right of the left edge", wrong);
            grey(p, x1 - inset, y, where + ", " + inset + " px left of the right edge", wrong);
        }
    }

    /** {x, y, w, h} of cell c of the 2x2 grid on the canvas. */
    private static int[] cell(int c) {
        return new int[]{(c % 2) * CANVAS_W / 2, (c / 2) * CANVAS_H / 2, CANVAS_W / 2, CANVAS_H / 2};
    }

    /** The cell's rect on a {@code w x h} output, as the engine maps a canvas rect to a rung. */
    private static int[] onRung(int[] r, int w, int h) {
        int x0 = MixPlan.Rung.map(r[0], CANVAS_W, w);
        int y0 = MixPlan.Rung.map(r[1], CANVAS_H, h);
        return new int[]{x0, y0, MixPlan.Rung.map(r[0] + r[2], CANVAS_W, w) - x0, MixPlan.Rung.map(r[1] + r[3], CANVAS_H, h) - y0};
    }

    /** The source's grey inside (luma 128), not the border, the background or black. */
    private static boolean grey(MediaTools.Picture p, int x, int y) {
        int[] v = p.at(x, y);
        return Math.abs(v[0] - 130) < 25 && Math.abs(v[1] - 130) < 25 && Math.abs(v[2] - 130) < 25;
    }

    private static void grey(MediaTools.Picture p, int x, int y, String where, Wrong wrong) {
        if (!grey(p, x, y)) {
            wrong.add(where + ": not the source's grey inside: " + p.describe(x, y));
        }
    }

    private static void white(MediaTools.Picture p, int x, int y, String where, Wrong wrong) {
        int[] v = p.at(x, y);
        if (Math.min(v[0], Math.min(v[1], v[2])) < WHITE_MIN) {
            wrong.add(where + ": not the source's white border: " + p.describe(x, y));
        }
    }

    /** Wrong pixels: how many, and the first few described. */
    private static final class Wrong {
        final List<String> first = new ArrayList<>();
        int count;

        void add(String what) {
            if (count++ < 20) {
                first.add(what);
            }
        }
    }
}
