package io.streammix.worker.engine.mix;

import io.streammix.worker.engine.scene.InputLayout;

import io.streammix.worker.media.Frames;
import io.streammix.worker.media.Scaler;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;

/**
 * Scales a picture made for a previous layout to the current one, on the output clock thread, so that the first
 * frame of a new plan shows every input in its new rect: inputs scale their pictures {@link Timeline#JITTER}
 * ahead of the clock, so the pictures due at the switch were made for the old rect.
 *
 * <p>It scales the picture it has (not the decoded source, which would pin a decoder buffer per queued picture):
 * a resize or a Fit to Crop change is exact up to resolution; Crop to Fit shows the cropped window stretched into the
 * Fit box. Both last until the input's own pictures for the new rect are due, at most {@code JITTER} later. The
 * {@link Compositor} calls it at most once per input per layout change, so the clock's extra work is bounded.
 */
final class Rescaler implements AutoCloseable {
    private final Scaler scaler = new Scaler();
    // Written by the clock thread only, read by tests and benchmarks.
    private volatile long count;
    private volatile long nanos;

    /** A new picture made for {@code l} from {@code p} (which the caller still owns). */
    InputSlot.Picture fit(InputSlot.Picture p, InputLayout l) {
        long t0 = System.nanoTime();
        InputSlot.Made m = p.made();
        InputLayout.Placement pl = l.place(m.srcWidth(), m.srcHeight());
        // The part of the new window of the source that the picture shows (all of it unless Crop turned into Fit).
        int x0 = Math.max(pl.cropX(), m.winX());
        int y0 = Math.max(pl.cropY(), m.winY());
        int x1 = Math.min(pl.cropX() + pl.cropW(), m.winX() + m.winW());
        int y1 = Math.min(pl.cropY() + pl.cropH(), m.winY() + m.winH());
        if (x1 - x0 < 2 || y1 - y0 < 2) {
            x0 = m.winX();
            y0 = m.winY();
            x1 = m.winX() + m.winW();
            y1 = m.winY() + m.winH();
        }
        AVFrame src = p.frame();
        double sx = src.width() / (double) m.winW();
        double sy = src.height() / (double) m.winH();
        int px = Math.min((int) ((x0 - m.winX()) * sx) & ~1, Math.max(0, src.width() - 2));
        int py = Math.min((int) ((y0 - m.winY()) * sy) & ~1, Math.max(0, src.height() - 2));
        int pw = Math.max(1, Math.min(src.width() - px, (int) Math.round((x1 - x0) * sx)));
        int ph = Math.max(1, Math.min(src.height() - py, (int) Math.round((y1 - y0) * sy)));
        AVFrame out = Frames.video(pl.width(), pl.height(), AV_PIX_FMT_YUV420P);
        AVFrame ref = av_frame_clone(src); // scaling crops the frame it is given
        try {
            scaler.scale(ref, px, py, pw, ph, out);
        } catch (RuntimeException e) {
            Frames.free(out);
            throw e;
        } finally {
            Frames.free(ref);
        }
        count++;
        nanos += System.nanoTime() - t0;
        return new InputSlot.Picture(out, p.time(), new InputSlot.Made(l.width(), l.height(), l.renderMode(), pl.dx(), pl.dy(),
                m.srcWidth(), m.srcHeight(), x0, y0, x1 - x0, y1 - y0));
    }

    /** Pictures rescaled so far. */
    long count() {
        return count;
    }

    /** Time spent rescaling so far, in nanoseconds. */
    long nanos() {
        return nanos;
    }

    @Override
    public void close() {
        scaler.close();
    }
}
