package io.streammix.worker.engine.mix;

import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.media.Frames;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.List;

/**
 * One tick's pictures for the outputs: the canvas, and a canvas per rung of the plan where one was drawn
 * ({@link RungCanvases}; null entries otherwise). Owned by the clock, which frees it after handing it out.
 */
public record Canvases(AVFrame canvas, List<MixPlan.Rung> rungs, AVFrame[] rungCanvases) {
    /** The rung canvas of exactly {@code w x h} when there is one this tick, else the canvas (the output scales it). */
    public AVFrame forSize(int w, int h) {
        for (int i = 0; i < rungCanvases.length; i++) {
            MixPlan.Rung r = rungs.get(i);
            if (rungCanvases[i] != null && r.width() == w && r.height() == h) {
                return rungCanvases[i];
            }
        }
        return canvas;
    }

    void free() {
        Frames.free(canvas);
        for (AVFrame f : rungCanvases) {
            Frames.free(f);
        }
    }
}
