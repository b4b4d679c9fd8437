package io.streammix.worker.engine.mix;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.MediaTools;
import io.streammix.worker.engine.scene.InputLayout;
import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.media.Frames;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/**
 * A rung canvas ({@link RungCanvases}) gets its background only where its pictures leave some of it uncovered: two
 * inputs side by side on a 1280x360 canvas tile its 640x180 rung, so the fill (a memset of the whole rung per tick)
 * would be overwritten byte for byte. When one of them has no picture, the recycled buffer (which held the last tick's
 * pictures) must show the background colour there, not the old picture.
 */
class RungCanvasesBackgroundTest {
    private static final Frames.Yuv RED = Frames.Yuv.ofRgb(255, 0, 0);
    private static final Frames.Yuv GREEN = Frames.Yuv.ofRgb(0, 255, 0);
    private final List<AVFrame> frames = new ArrayList<>();
    private final RungCanvases rungs = new RungCanvases(RungCanvasesBackgroundTest::copy);

    @AfterEach
    void free() {
        frames.forEach(Frames::free);
        rungs.close();
    }

    @Test
    void aTiledRungIsNotFilledAndAnUncoveredPartShowsTheBackgroundNotTheLastTick() {
        MixTaskSpec spec = MediaTools.spec(List.of(MediaTools.input("a", "a.mp4", 0, 0, 640, 360, 0),
                MediaTools.input("b", "b.mp4", 640, 0, 1280, 360, 0)), List.of(
                MediaTools.fileOutput("canvas", Path.of("canvas.mp4"), 1280, 360, 15),
                MediaTools.fileOutput("rung", Path.of("rung.mp4"), 640, 180, 15)));
        spec.background = new Background("#0000FF", null);
        MixPlan plan = MixPlan.of(spec, null);
        assertThat(plan.rungs()).containsExactly(new MixPlan.Rung(640, 180));
        Map<String, InputSlot.Picture> shown = new HashMap<>();
        shown.put("a", picture(plan, "a", RED));
        shown.put("b", picture(plan, "b", GREEN));

        AVFrame tiled = keep(rungs.draw(plan, shown, Set.of())[0]);
        assertThat(tiled).as("the rung canvas is drawn").isNotNull();
        assertThat(luma(tiled, 100, 90)).isEqualTo(RED.y());
        assertThat(luma(tiled, 500, 90)).isEqualTo(GREEN.y());
        assertThat(rungs.filled()).as("backgrounds filled under pictures that tile the rung").isZero();
        Frames.free(tiled); // its buffer goes back to the pool, still holding red and green

        shown.remove("b").free(); // b has no picture this tick: its half shows the background
        AVFrame gap = keep(rungs.draw(plan, shown, Set.of())[0]);
        assertThat(luma(gap, 100, 90)).isEqualTo(RED.y());
        assertThat(luma(gap, 500, 90)).as("luma where b's picture was last tick").isEqualTo(plan.backgroundColor().y());
        assertThat(rungs.filled()).isEqualTo(1);
        shown.values().forEach(InputSlot.Picture::free);
    }

    /** A picture of input {@code name} in one colour, with its rung picture (the size of its rect on the rung). */
    private InputSlot.Picture picture(MixPlan plan, String name, Frames.Yuv colour) {
        InputLayout l = plan.input(name);
        InputLayout.Placement onCanvas = l.place(640, 360);
        MixPlan.Rung rung = plan.rungs().get(0);
        InputLayout.Placement onRung = rung.layout(l, plan.width(), plan.height()).place(640, 360);
        AVFrame canvasPicture = Frames.video(onCanvas.width(), onCanvas.height(), AV_PIX_FMT_YUV420P);
        AVFrame rungPicture = Frames.video(onRung.width(), onRung.height(), AV_PIX_FMT_YUV420P);
        Frames.fill(canvasPicture, colour);
        Frames.fill(rungPicture, colour);
        return new InputSlot.Picture(canvasPicture, 0, InputSlot.Made.of(l, onCanvas, 640, 360), plan.rungs(), new AVFrame[]{rungPicture});
    }

    private AVFrame keep(AVFrame f) {
        if (f != null) {
            frames.add(f);
        }
        return f;
    }

    private static int luma(AVFrame f, int x, int y) {
        return f.data(0).get((long) y * f.linesize(0) + x) & 0xFF;
    }

    /** Copies a picture into the canvas at (x, y), plane by plane (what the compositor's draw does). */
    private static void copy(AVFrame pic, AVFrame canvas, int x, int y) {
        for (int plane = 0; plane < 3; plane++) {
            int sub = plane == 0 ? 0 : 1;
            byte[] row = new byte[pic.width() >> sub];
            for (int r = 0; r < pic.height() >> sub; r++) {
                pic.data(plane).position((long) r * pic.linesize(plane)).get(row);
                canvas.data(plane).position((long) ((y >> sub) + r) * canvas.linesize(plane) + (x >> sub)).put(row);
            }
        }
    }
}
