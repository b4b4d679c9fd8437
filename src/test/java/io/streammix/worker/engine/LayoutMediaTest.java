package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.Content;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.RenderMode;
import io.streammix.api.v1alpha1.Watermark;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.MediaTools.Picture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;

/** Composites real inputs, encodes, decodes the output file and reads pixels at each rect. */
class LayoutMediaTest {
    private static final int TOL = 40;
    private static final int RED = 0xFF0000, GREEN = 0x00FF00, BLUE = 0x0000FF, WHITE = 0xFFFFFF, CYAN = 0x00FFFF;

    @TempDir
    Path dir;

    /** 400x200: red, green, white vertical stripes (100, 200, 100 px). */
    private Path stripes() throws Exception {
        Path p = dir.resolve("stripes.png");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=red:s=400x200,drawbox=x=100:y=0:w=200:h=200:color=lime:t=fill,"
                + "drawbox=x=300:y=0:w=100:h=200:color=white:t=fill", "-frames:v", "1", p.toString());
        return p;
    }

    @Test
    void layersCropFitAndBackgroundColour() throws Exception {
        Path stripes = stripes();
        List<MixInput> in = new ArrayList<>();
        // Listed first but on a higher layer: drawn over "under".
        in.add(input("top", "synthetic:color?color=#00FF00&size=320x240&fps=15", 160, 0, 320, 120, 5));
        in.add(input("under", "synthetic:color?color=#FF0000&size=320x240&fps=15", 0, 0, 240, 180, 0));
        MixInput crop = input("crop", stripes.toString(), 0, 200, 160, 360, 0);
        crop.renderMode = RenderMode.Crop;
        in.add(crop);
        MixInput fit = input("fit", stripes.toString(), 400, 200, 560, 360, 0);
        fit.renderMode = RenderMode.Fit;
        in.add(fit);
        // Equal layers: list order, the later one on top.
        in.add(input("eq1", "synthetic:color?color=#FFFFFF&size=160x120&fps=15", 400, 0, 520, 100, 0));
        in.add(input("eq2", "synthetic:color?color=#00FFFF&size=160x120&fps=15", 460, 0, 580, 100, 0));
        // Audio only: draws nothing even though its rect covers the bottom-right corner.
        MixInput audioOnly = input("voice", "synthetic:testsrc?size=160x120&fps=15&tone=440", 580, 300, 640, 360, 9);
        audioOnly.content = Content.AudioOnly;
        in.add(audioOnly);
        Path out = dir.resolve("layout.mp4");
        MixTaskSpec spec = MediaTools.spec(in, List.of(MediaTools.fileOutput("main", out, 640, 360, 15)));
        spec.background = new Background("#0000FF", null);

        EngineRun.runFor(spec, dir, 3.0);

        Picture p = MediaTools.frameAt(out, 2.0, 640, 360);
        assertColour(p, 60, 60, RED, "under alone");
        assertColour(p, 200, 60, GREEN, "overlap: higher layer wins over list order");
        assertColour(p, 280, 60, GREEN, "top alone");
        assertColour(p, 100, 150, RED, "under below top's rect");
        assertColour(p, 300, 150, BLUE, "background colour");
        assertColour(p, 620, 180, BLUE, "background colour right");
        assertColour(p, 10, 280, GREEN, "Crop: left edge shows the centre of the source, not its red stripe");
        assertColour(p, 150, 280, GREEN, "Crop: right edge shows the centre of the source, not its white stripe");
        assertColour(p, 405, 280, RED, "Fit: whole source, red stripe at the left");
        assertColour(p, 480, 280, GREEN, "Fit: green in the middle");
        assertColour(p, 555, 280, WHITE, "Fit: white stripe at the right");
        assertColour(p, 480, 215, BLUE, "Fit: bar above the picture shows the background");
        assertColour(p, 480, 350, BLUE, "Fit: bar below the picture shows the background");
        assertColour(p, 420, 50, WHITE, "eq1 alone");
        assertColour(p, 490, 50, CYAN, "equal layers: later in the list on top");
        assertColour(p, 610, 330, BLUE, "AudioOnly input draws nothing");
    }

    @Test
    void backgroundImageAndWatermark() throws Exception {
        Path bg = dir.resolve("bg.png");
        // Top half magenta, bottom half yellow: shows the image is scaled to the whole canvas.
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=magenta:s=64x36,drawbox=x=0:y=18:w=64:h=18:color=yellow:t=fill",
                "-frames:v", "1", bg.toString());
        Path wm = dir.resolve("wm.png");
        // Left half opaque white, right half fully transparent.
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=white:s=100x50,format=rgba,geq=r=255:g=255:b=255:a='if(lt(X,50),255,0)'",
                "-frames:v", "1", "-pix_fmt", "rgba", wm.toString());
        List<MixInput> in = List.of(input("red", "synthetic:color?color=#FF0000&size=160x120&fps=15", 0, 0, 200, 120, 0));
        Path out = dir.resolve("bg.mp4");
        MixTaskSpec spec = MediaTools.spec(in, List.of(MediaTools.fileOutput("main", out, 640, 360, 15)));
        spec.background = new Background("#00FF00", bg.toString());
        spec.watermark = new Watermark();
        spec.watermark.image = wm.toString();
        spec.watermark.rect = new Rect(400, 20, 600, 120);

        EngineRun.runFor(spec, dir, 2.5);

        Picture p = MediaTools.frameAt(out, 1.5, 640, 360);
        assertColour(p, 300, 80, 0xFF00FF, "background image, top half");
        assertColour(p, 300, 300, 0xFFFF00, "background image, bottom half (scaled to the canvas)");
        assertColour(p, 100, 60, RED, "input over the background image");
        assertColour(p, 450, 70, WHITE, "opaque watermark on top");
        assertColour(p, 560, 70, 0xFF00FF, "transparent watermark pixels show what is below");
    }

    private static void assertColour(Picture p, int x, int y, int rgb, String what) {
        assertThat(p.is(x, y, rgb, TOL)).as(what + ": expected #%06X, got %s", rgb, p.describe(x, y)).isTrue();
    }
}
