package io.streammix.worker.engine.output;

import io.streammix.api.v1alpha1.RateControl;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A video bitrate changed by a live update, without reopening anything: the control thread asks ({@link #request}),
 * the output thread puts it on the encoder context before the first frame of the mix at or after the time the new
 * spec starts ({@link #applyIfDue}), however many frames are still queued. FFmpeg's libx264 wrapper compares bit_rate,
 * rc_max_rate and rc_buffer_size with its parameters on every frame and calls x264_encoder_reconfig; x265 cannot.
 */
final class LiveBitrate {
    private record Request(int bitsPerSecond, double fromTime) {
    }

    private final AtomicReference<Request> requested = new AtomicReference<>();
    /** The bitrate as last applied (the spec's at open), for the metrics. */
    private volatile int target;

    LiveBitrate(int initial) {
        this.target = initial;
    }

    void request(int bitsPerSecond, double fromTime) {
        requested.set(new Request(bitsPerSecond, fromTime));
    }

    /**
     * Before encoding the frame of {@code frameTime}: applies a due request with the same rules as at open (see
     * Encoder.video: CBR sets rate, max rate and buffer; CRF only the cap). Returns the new bitrate, or 0 if none.
     */
    int applyIfDue(AVCodecContext c, RateControl rc, double frameTime) {
        Request r = requested.get();
        if (r == null || frameTime < r.fromTime() || !requested.compareAndSet(r, null)) {
            return 0;
        }
        int b = r.bitsPerSecond();
        if (rc == RateControl.CRF) {
            c.rc_max_rate(b).rc_buffer_size(2 * b);
        } else {
            c.bit_rate(b).rc_max_rate(b).rc_buffer_size(b);
        }
        target = b;
        return b;
    }

    int target() {
        return target;
    }
}
