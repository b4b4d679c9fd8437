package io.streammix.worker.engine.output;

import io.streammix.worker.media.Av;
import io.streammix.worker.media.Frames;
import io.streammix.worker.media.Scaler;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_SEI_UNREGISTERED;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_remove_side_data;

/**
 * The canvas at an output's size (output thread only): the canvas itself when it already is that size, else the
 * canvas scaled into one picture of this output's, allocated once rather than per frame. libx264 and libx265 copy
 * the picture in, so it is free again after encode; make_writable still guards it (it copies only if someone kept a
 * reference). The SEI side data of the previous frame is removed: the stamper adds this frame's.
 */
final class OutputPicture implements AutoCloseable {
    private final String output;
    private Scaler scaler;
    private AVFrame scaled;

    OutputPicture(String output) {
        this.output = output;
    }

    AVFrame fit(AVFrame canvas, int w, int h) {
        if (canvas.width() == w && canvas.height() == h) {
            return canvas;
        }
        if (scaler == null) {
            scaler = new Scaler();
        }
        if (scaled == null || scaled.width() != w || scaled.height() != h) {
            Frames.free(scaled);
            scaled = null;
            scaled = Frames.video(w, h, AV_PIX_FMT_YUV420P);
        }
        Av.check(av_frame_make_writable(scaled), output, "picture");
        av_frame_remove_side_data(scaled, AV_FRAME_DATA_SEI_UNREGISTERED);
        scaler.scale(canvas, scaled);
        return scaled;
    }

    @Override
    public void close() {
        if (scaler != null) {
            scaler.close();
        }
        Frames.free(scaled);
        scaled = null;
    }
}
