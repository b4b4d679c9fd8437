package io.streammix.worker.engine.mix;

import io.streammix.worker.engine.scene.InputLayout;
import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.media.Av;
import io.streammix.worker.media.FramePool;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy;

/**
 * Draws one canvas per output tick (output clock thread only): background, then each input's newest due
 * picture in its rect by layer, then the watermark. Pictures arrive already scaled to their rect, so drawing
 * one is a single {@code av_image_copy} onto plane pointers offset to the rect; the watermark was prepared when
 * it was loaded ({@link WatermarkBlend}). The background is not copied when the pictures tile the whole canvas
 * ({@link CanvasCover}): a grid of inputs would overwrite every byte of it.
 *
 * <p>Layout changes: inputs scale their pictures {@link Timeline#JITTER} ahead, so at a change the pictures due
 * were made for the old rect or render mode. The first one drawn in a new layout is scaled to it here ({@link
 * Rescaler}); older-layout pictures due after it are dropped in favour of that one until the input's pictures for the
 * new layout are due. So no frame shows the background, or a wrong-size picture, where an input should be, and the
 * clock scales at most one picture per input per layout change.
 */
final class Compositor implements AutoCloseable {
    private final Map<String, InputSlot.Picture> shown = new HashMap<>();
    /**
     * Inputs whose rect shows their loss display (past the hold), until their first picture after the return: an input
     * that is live again but whose first picture is not due yet keeps its placeholder rather than flashing background.
     */
    private final java.util.Set<String> placeholders = new java.util.HashSet<>();
    private final PointerPointer<BytePointer> dst = new PointerPointer<>(4);
    /** Canvas buffers, recycled: the outputs free their references on their own threads (see FramePool). */
    private final FramePool canvases = new FramePool();
    private final Rescaler rescaler = new Rescaler();
    private final RungCanvases rungs = new RungCanvases(this::draw);
    /** This tick's pictures in draw order, where they go (reused: one list for the clock's life). */
    private final List<Placed> placed = new ArrayList<>();

    /** A picture of this tick and where its top-left corner goes on the canvas. */
    record Placed(AVFrame frame, int x, int y) {
    }

    /**
     * @param slack pictures due up to this long after {@code time} count as due: choosing the nearest frame
     *              rather than the newest past one halves the worst-case A/V error of sampling
     * @return a new canvas frame owned by the caller
     */
    AVFrame compose(MixPlan plan, Map<String, InputSlot> slots, double time, double slack) {
        for (InputSlot slot : slots.values()) {
            InputSlot.Picture due = slot.takeDue(time + slack);
            if (due != null) {
                placeholders.remove(slot.name); // its first picture since the loss replaces the loss display
                InputSlot.Picture cur = shown.get(slot.name);
                InputLayout l = plan.input(slot.name);
                if (cur != null && l != null && l.content().hasVideo() && cur.made().fits(l) && !due.made().fits(l)) {
                    // Made for a previous layout, and this one already has a picture (scaled at the change): keep it.
                    due.free();
                    slot.discarded();
                } else {
                    InputSlot.Picture old = shown.put(slot.name, due);
                    if (old != null) {
                        old.free();
                    }
                }
            } else if (slot.isLive() && shown.containsKey(slot.name) && !slot.still()) {
                slot.repeated(); // its last picture again: the input is slower than the output or stalling
            }
            if (!slot.isLive()) {
                InputLayout l = plan.input(slot.name);
                // A lost input's rect holds its last picture for the hold time (onLoss), then shows the background or
                // the placeholder until the first picture after its return. Read per tick: an edit of onLoss applies at once.
                if (!slot.holding(time, l == null ? 0 : l.holdSeconds())) {
                    drop(slot.name);
                    slot.clearPictures(); // pictures queued before the loss are stale now
                    if (slot.isLost()) {
                        placeholders.add(slot.name);
                    }
                }
            }
        }
        placeholders.retainAll(slots.keySet());
        shown.keySet().removeIf(name -> {
            if (!slots.containsKey(name)) {
                shown.get(name).free();
                return true;
            }
            return false;
        });
        placed.clear();
        for (InputLayout l : plan.drawOrder()) {
            InputSlot.Picture p = shown.get(l.name());
            if (p == null && l.placeholder() != null && placeholders.contains(l.name())) {
                placed.add(new Placed(l.placeholder().frame(), l.left() + l.placeholder().dx(), l.top() + l.placeholder().dy()));
                continue;
            }
            if (p == null) {
                continue; // nothing yet
            }
            if (!p.made().fits(l)) {
                InputSlot.Picture fitted = rescaler.fit(p, l);
                shown.put(l.name(), fitted);
                p.free();
                p = fitted;
            }
            placed.add(new Placed(p.frame(), l.left() + p.dx(), l.top() + p.dy()));
        }
        AVFrame canvas = canvases.get(plan.width(), plan.height(), AV_PIX_FMT_YUV420P);
        if (!CanvasCover.tiles(placed, canvas.width(), canvas.height())) {
            Av.check(av_frame_copy(canvas, plan.background().frame), "background");
        }
        for (Placed pic : placed) {
            draw(pic.frame(), canvas, pic.x(), pic.y());
        }
        MixPlan.Watermark wm = plan.watermark();
        if (wm != null) {
            wm.picture().blend.draw(canvas, wm.left(), wm.top());
        }
        return canvas;
    }

    /**
     * The canvases of the plan's rungs for the tick {@link #compose} just drew, from the same pictures (see
     * {@link RungCanvases}); the caller owns them; null entries where an output must scale the canvas.
     */
    AVFrame[] composeRungs(MixPlan plan) {
        return rungs.draw(plan, shown, placeholders);
    }

    /** Rung canvases drawn so far. */
    long rungsDrawn() {
        return rungs.drawn();
    }

    /** Pictures the clock scaled to a new layout so far, and the time it took (ns). */
    long[] rescaled() {
        return new long[]{rescaler.count(), rescaler.nanos()};
    }

    private void drop(String name) {
        InputSlot.Picture p = shown.remove(name);
        if (p != null) {
            p.free();
        }
    }

    /** Copies a YUV420P picture into the canvas at (x, y), both even: one native call. */
    private void draw(AVFrame pic, AVFrame canvas, int x, int y) {
        int w = Math.min(pic.width(), canvas.width() - x);
        int h = Math.min(pic.height(), canvas.height() - y);
        if (w <= 0 || h <= 0) {
            return;
        }
        dst.put(0, canvas.data(0).getPointer((long) y * canvas.linesize(0) + x));
        dst.put(1, canvas.data(1).getPointer((long) (y / 2) * canvas.linesize(1) + x / 2));
        dst.put(2, canvas.data(2).getPointer((long) (y / 2) * canvas.linesize(2) + x / 2));
        av_image_copy(dst, canvas.linesize(), pic.data(), pic.linesize(), AV_PIX_FMT_YUV420P, w, h);
    }

    void forget(Collection<String> names) {
        names.forEach(this::drop);
    }

    @Override
    public void close() {
        shown.values().forEach(InputSlot.Picture::free);
        shown.clear();
        dst.close();
        canvases.close();
        rescaler.close();
        rungs.close();
    }
}
