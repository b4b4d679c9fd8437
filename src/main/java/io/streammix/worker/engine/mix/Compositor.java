package io.streammix.worker.engine.mix;

import io.streammix.worker.engine.scene.InputLayout;
import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.media.Av;
import io.streammix.worker.media.FramePool;
import io.streammix.worker.media.Frames;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy;

/**
 * Draws one canvas per output tick (output clock thread only): background, then each input's newest due
 * picture in its rect by layer, then the watermark. Pictures arrive already scaled to their rect, so drawing
 * one is a single {@code av_image_copy} onto plane pointers offset to the rect; only the watermark is blended.
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
    private byte[] row = new byte[0];

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
                InputSlot.Picture old = shown.put(slot.name, due);
                if (old != null) {
                    Frames.free(old.frame());
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
                Frames.free(shown.get(name).frame());
                return true;
            }
            return false;
        });
        AVFrame canvas = canvases.get(plan.width(), plan.height(), AV_PIX_FMT_YUV420P);
        Av.check(av_frame_copy(canvas, plan.background().frame), "background");
        for (InputLayout l : plan.drawOrder()) {
            InputSlot.Picture p = shown.get(l.name());
            if (p == null && l.placeholder() != null && placeholders.contains(l.name())) {
                draw(l.placeholder().frame(), canvas, l.left() + l.placeholder().dx(), l.top() + l.placeholder().dy());
                continue;
            }
            if (p == null || p.rectWidth() != l.width() || p.rectHeight() != l.height()) {
                continue; // nothing yet, or a picture made for the previous layout: background until the next one
            }
            draw(p.frame(), canvas, l.left() + p.dx(), l.top() + p.dy());
        }
        if (plan.watermark() != null) {
            blend(plan.watermark(), canvas);
        }
        return canvas;
    }

    private void drop(String name) {
        InputSlot.Picture p = shown.remove(name);
        if (p != null) {
            Frames.free(p.frame());
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

    /** Alpha-blends the YUVA watermark over the canvas. */
    private void blend(MixPlan.Watermark wm, AVFrame canvas) {
        byte[][] src = wm.picture().planes;
        int w = Math.min(wm.picture().frame.width(), canvas.width() - wm.left());
        int h = Math.min(wm.picture().frame.height(), canvas.height() - wm.top());
        int fullW = wm.picture().frame.width();
        for (int p = 0; p < 3; p++) {
            int sub = p == 0 ? 0 : 1;
            int pw = w >> sub;
            int ph = h >> sub;
            int srcW = fullW >> sub;
            if (row.length < pw) {
                row = new byte[pw];
            }
            BytePointer plane = canvas.data(p);
            int ls = canvas.linesize(p);
            for (int r = 0; r < ph; r++) {
                long off = (long) ((wm.top() >> sub) + r) * ls + (wm.left() >> sub);
                plane.position(off).get(row, 0, pw);
                for (int c = 0; c < pw; c++) {
                    int a = src[3][(r << sub) * fullW + (c << sub)] & 0xFF;
                    if (a == 0) {
                        continue;
                    }
                    int s = src[p][r * srcW + c] & 0xFF;
                    int d = row[c] & 0xFF;
                    row[c] = (byte) ((s * a + d * (255 - a) + 127) / 255);
                }
                plane.position(off).put(row, 0, pw);
            }
        }
    }

    void forget(Collection<String> names) {
        names.forEach(this::drop);
    }

    @Override
    public void close() {
        shown.values().forEach(p -> Frames.free(p.frame()));
        shown.clear();
        dst.close();
        canvases.close();
    }
}
