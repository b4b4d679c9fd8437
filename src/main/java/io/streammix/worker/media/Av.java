package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.util.Map;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** Small helpers around FFmpeg return codes and structures, shared by the wrappers of this package. */
public final class Av {
    /** AVERROR(EAGAIN) on Linux: the codec wants more input (or has output waiting). */
    public static final int EAGAIN = -11;
    public static final int EOF = AVERROR_EOF;
    /** AVERROR_EXIT: what FFmpeg returns when our interrupt callback stopped a blocking call. */
    public static final int EXIT = -0x54495845; // FFERRTAG('E','X','I','T')

    private Av() {
    }

    /** FFmpeg's message for an error code, e.g. "Connection refused". */
    public static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Throws with "what: FFmpeg's message" when {@code ret} is an error, returns it otherwise. */
    public static int check(int ret, String what) {
        if (ret < 0) {
            throw new MediaException(what + ": " + error(ret), ret);
        }
        return ret;
    }

    /**
     * {@link #check(int, String)} with the message {@code name + ": " + what} made only on failure: for the calls made
     * per frame or packet, which would otherwise build a string each time.
     */
    public static int check(int ret, String name, String what) {
        if (ret < 0) {
            throw new MediaException(name + ": " + what + ": " + error(ret), ret);
        }
        return ret;
    }

    public static <T> T notNull(T value, String what) {
        if (value == null || (value instanceof org.bytedeco.javacpp.Pointer p && p.isNull())) {
            throw new MediaException(what);
        }
        return value;
    }

    public static AVRational q(int num, int den) {
        return av_make_q(num, den);
    }

    public static double seconds(long ts, AVRational tb) {
        return ts * (double) tb.num() / tb.den();
    }

    /** A dictionary of options; the caller frees it with av_dict_free. */
    public static AVDictionary dict(Map<String, String> options) {
        AVDictionary d = new AVDictionary(null);
        options.forEach((k, v) -> av_dict_set(d, k, v, 0));
        return d;
    }
}
