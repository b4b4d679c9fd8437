package io.streammix.worker.engine.mix;

import io.streammix.worker.engine.scene.InputLayout;
import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.media.FramePool;
import io.streammix.worker.media.Frames;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/**
 * The canvases of a plan's {@link MixPlan.Rung rungs} (smaller outputs of a ladder), drawn from the pictures the inputs
 * made for each rung from their sources (output clock thread only). Scaling the whole canvas down per output read
 * every canvas pixel again and resampled each input twice (source to canvas rect, canvas to rung); here an input is
 * scaled once, from its source, and not at all when its source is the size of its rect on the rung (a 2x2 grid of
 * 640x360 inputs on a 1080p canvas: the 720p rung is four copies). A rung is drawn only when every picture shown has
 * its rung picture made for the current layout, the background is a colour and no watermark or placeholder is
 * shown; otherwise that tick's entry is null and the output scales the canvas as before ({@code OutputPicture}).
 * As on the canvas ({@link CanvasCover}), the background is filled only where the pictures leave some of the rung
 * canvas uncovered: a grid's rung canvas is overwritten byte for byte by its pictures.
 */
final class RungCanvases implements AutoCloseable {
    /** Draws a YUV420P picture into a canvas at (x, y), both even. */
    interface Draw {
        void draw(AVFrame picture, AVFrame canvas, int x, int y);
    }

    private final Map<MixPlan.Rung, FramePool> pools = new HashMap<>();
    private final Draw draw;
    /** This tick's pictures on the rung being drawn, where they go (reused: one list for the clock's life). */
    private final List<Compositor.Placed> placed = new ArrayList<>();
    /** Rung canvases drawn so far, and of those the ones that needed the background (for tests and benchmarks); written by the clock thread only. */
    private volatile long drawn;
    private volatile long filled;

    RungCanvases(Draw draw) {
        this.draw = draw;
    }

    /**
     * @param shown        the picture shown per input (those of the canvas just drawn)
     * @param placeholders inputs whose rect shows their loss placeholder
     * @return a canvas per rung of the plan, in its order; null where the output must scale the canvas
     */
    AVFrame[] draw(MixPlan plan, Map<String, InputSlot.Picture> shown, Set<String> placeholders) {
        AVFrame[] out = new AVFrame[plan.rungs().size()];
        if (!plan.drawsRungs()) {
            return out;
        }
        for (InputLayout l : plan.drawOrder()) {
            if (!shown.containsKey(l.name()) && l.placeholder() != null && placeholders.contains(l.name())) {
                return out;
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = draw(plan, plan.rungs().get(i), shown);
        }
        return out;
    }

    private AVFrame draw(MixPlan plan, MixPlan.Rung rung, Map<String, InputSlot.Picture> shown) {
        placed.clear();
        for (InputLayout l : plan.drawOrder()) {
            InputSlot.Picture p = shown.get(l.name());
            if (p == null) {
                continue;
            }
            int[] at = place(plan, rung, l, p);
            if (at == null) {
                return null;
            }
            placed.add(new Compositor.Placed(p.rung(rung), at[0], at[1]));
        }
        AVFrame canvas = pools.computeIfAbsent(rung, r -> new FramePool()).get(rung.width(), rung.height(), AV_PIX_FMT_YUV420P);
        if (!CanvasCover.tiles(placed, rung.width(), rung.height())) {
            // Recycled buffers hold an older canvas: whatever the pictures leave uncovered must be painted.
            Frames.fill(canvas, plan.backgroundColor());
            filled++;
        }
        for (Compositor.Placed pic : placed) {
            draw.draw(pic.frame(), canvas, pic.x(), pic.y());
        }
        drawn++;
        return canvas;
    }

    /** Where {@code p}'s rung picture goes on the rung canvas, or null when it has none made for this layout. */
    private static int[] place(MixPlan plan, MixPlan.Rung rung, InputLayout l, InputSlot.Picture p) {
        AVFrame pic = p.rung(rung);
        if (pic == null || !p.made().fits(l)) {
            return null;
        }
        InputLayout rl = rung.layout(l, plan.width(), plan.height());
        InputLayout.Placement pl = rl.place(p.made().srcWidth(), p.made().srcHeight());
        if (pic.width() != pl.width() || pic.height() != pl.height()) {
            return null;
        }
        return new int[]{rl.left() + pl.dx(), rl.top() + pl.dy()};
    }

    long drawn() {
        return drawn;
    }

    /** Rung canvases whose background was filled (some of it showed) so far. */
    long filled() {
        return filled;
    }

    @Override
    public void close() {
        pools.values().forEach(FramePool::close);
        pools.clear();
    }
}
