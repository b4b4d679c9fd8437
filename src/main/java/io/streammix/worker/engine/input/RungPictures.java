package io.streammix.worker.engine.input;

import io.streammix.worker.engine.scene.InputLayout;
import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.media.FramePool;
import io.streammix.worker.media.Frames;
import io.streammix.worker.media.Scaler;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;

/**
 * An input's pictures for the plan's rungs (the smaller outputs of a ladder, {@link MixPlan.Rung}), made from the
 * decoded source on the input thread beside its canvas picture, so that the clock can draw each rung's canvas without
 * scaling the whole canvas ({@code RungCanvases}). A source already the size of its rect on a rung is passed on by
 * reference (no copy); otherwise it is scaled once, with its own scaler and recycled buffers per rung.
 */
final class RungPictures implements AutoCloseable {
    private final Map<MixPlan.Rung, Scaler> scalers = new HashMap<>();
    private final Map<MixPlan.Rung, FramePool> pools = new HashMap<>();

    /**
     * {@code f} (the decoded picture, not yet cropped by scaling) for {@code l}'s rect on each rung of {@code plan},
     * in the plan's order; null when the plan draws no rungs or when it would cost more than scaling the canvas: a
     * source window larger than its picture on the canvas (a big source in a small cell) is cheaper scaled once to
     * the canvas rect and then with the canvas.
     */
    AVFrame[] make(AVFrame f, MixPlan plan, InputLayout l, InputLayout.Placement onCanvas) {
        List<MixPlan.Rung> rungs = plan.rungs();
        if (!plan.drawsRungs() || (long) onCanvas.cropW() * onCanvas.cropH() > (long) onCanvas.width() * onCanvas.height()) {
            return null;
        }
        AVFrame[] out = new AVFrame[rungs.size()];
        try {
            for (int i = 0; i < out.length; i++) {
                MixPlan.Rung r = rungs.get(i);
                InputLayout.Placement pl = r.layout(l, plan.width(), plan.height()).place(f.width(), f.height());
                boolean whole = pl.cropX() == 0 && pl.cropY() == 0 && pl.cropW() == f.width() && pl.cropH() == f.height();
                if (whole && f.format() == AV_PIX_FMT_YUV420P && pl.width() == f.width() && pl.height() == f.height()) {
                    out[i] = av_frame_clone(f);
                    continue;
                }
                out[i] = pools.computeIfAbsent(r, k -> new FramePool()).get(pl.width(), pl.height(), AV_PIX_FMT_YUV420P);
                // Scaling crops the frame it is given: a window of f is scaled from a reference of its own.
                AVFrame src = whole ? f : av_frame_clone(f);
                try {
                    scalers.computeIfAbsent(r, k -> new Scaler()).scale(src, pl.cropX(), pl.cropY(), pl.cropW(), pl.cropH(), out[i]);
                } finally {
                    if (src != f) {
                        Frames.free(src);
                    }
                }
            }
        } catch (RuntimeException e) {
            for (AVFrame made : out) {
                Frames.free(made);
            }
            throw e;
        }
        return out;
    }

    @Override
    public void close() {
        scalers.values().forEach(Scaler::close);
        pools.values().forEach(FramePool::close);
        scalers.clear();
        pools.clear();
    }
}
