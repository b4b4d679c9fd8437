package io.streammix.worker.engine.scene;

import io.streammix.api.v1alpha1.Content;
import io.streammix.api.v1alpha1.RenderMode;

/**
 * Where and how one input appears in the mix. Rect edges are rounded to even pixels (outward, within the
 * canvas) so that chroma planes of 4:2:0 pictures line up.
 *
 * @param holdSeconds how long a lost input's rect keeps its last picture (spec onLoss.holdLastFrameMillis)
 * @param placeholder what the rect shows after that, or null for the background
 */
public record InputLayout(String name, int left, int top, int width, int height, int layer, RenderMode renderMode,
                          Content content, int volume, long soundLevelId, double holdSeconds, Placeholder placeholder) {

    public InputLayout(String name, int left, int top, int width, int height, int layer, RenderMode renderMode,
                       Content content, int volume, long soundLevelId) {
        this(name, left, top, width, height, layer, renderMode, content, volume, soundLevelId,
                io.streammix.api.v1alpha1.LossPolicy.DEFAULT_HOLD_MILLIS / 1000.0, null);
    }

    /**
     * A lost input's placeholder picture, scaled for this rect as its renderMode says; owned by the engine's image
     * cache ({@link StillImages}), valid for the engine's lifetime.
     *
     * @param dx,dy its offset inside the rect (Fit leaves bars of background)
     */
    public record Placeholder(org.bytedeco.ffmpeg.avutil.AVFrame frame, int dx, int dy) {
    }

    /**
     * Where a source picture of {@code srcW x srcH} goes: the scaled size, its offset in the rect, and the source crop.
     * Offsets are even (4:2:0 chroma) and may be 0; sizes are even and at least 2.
     */
    public Placement place(int srcW, int srcH) {
        if (renderMode == RenderMode.Fit) {
            double s = Math.min(width / (double) srcW, height / (double) srcH);
            int w = evenSize(Math.min(width, (int) Math.round(srcW * s)));
            int h = evenSize(Math.min(height, (int) Math.round(srcH * s)));
            return new Placement(w, h, evenOffset((width - w) / 2), evenOffset((height - h) / 2), 0, 0, srcW, srcH);
        }
        double s = Math.max(width / (double) srcW, height / (double) srcH);
        int cw = Math.min(srcW, (int) Math.round(width / s));
        int ch = Math.min(srcH, (int) Math.round(height / s));
        return new Placement(width, height, 0, 0, evenOffset((srcW - cw) / 2), evenOffset((srcH - ch) / 2), cw, ch);
    }

    /** A picture's width or height: even, never under 2. */
    static int evenSize(int v) {
        return Math.max(2, v & ~1);
    }

    /**
     * An offset into a picture (v >= 0), rounded down to even. Not {@link #evenSize}: its floor of 2 turned an offset
     * of 0 into 2, so a source that fits its rect showed from (2, 2) on, shifted up and left, its last 2 columns and
     * rows read from past the picture (black), and a Fit picture 2 px right and down of its rect.
     */
    static int evenOffset(int v) {
        return v & ~1;
    }

    /**
     * @param width,height size of the scaled picture
     * @param dx,dy        its offset inside the rect (Fit leaves bars)
     * @param cropX,cropY,cropW,cropH the window of the source that is shown (Crop cuts the overflow)
     */
    public record Placement(int width, int height, int dx, int dy, int cropX, int cropY, int cropW, int cropH) {
    }
}
