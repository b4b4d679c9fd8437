package io.streammix.worker.playback;

import io.streammix.worker.media.Av;
import io.streammix.worker.media.Decoder;
import io.streammix.worker.media.Demuxer;
import io.streammix.worker.media.Interrupter;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/**
 * A live HTTP-FLV viewer in the test JVM: reads a worker's {@code /live/{key}.flv} as it is produced, decodes the
 * video with the worker's own FFmpeg wrappers and notes, for each picture, when it was decoded (System.nanoTime),
 * its pts and what the caller's classifier says it shows. In-process rather than an ffmpeg child process so that
 * the decode time is not blurred by a pipe and a second process's buffering: what is measured is the stream.
 */
public final class LiveFlvFrames implements AutoCloseable {
    /** One decoded picture: when it came out of the decoder, its pts in seconds, and its class. */
    public record Seen(long decodedAtNanos, double pts, int state) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Interrupter interrupter = new Interrupter();
    private final Thread thread;
    private volatile Throwable failure;

    /**
     * @param classify reads a decoded YUV420P picture (valid only during the call) and returns its class
     */
    public LiveFlvFrames(String url, ToIntFunction<AVFrame> classify) {
        thread = new Thread(() -> {
            try (Demuxer d = Demuxer.open(url, "flv", Map.of("fflags", "nobuffer"), interrupter, 10_000, 10_000, "viewer")) {
                int vs = d.bestStream(AVMEDIA_TYPE_VIDEO);
                try (Decoder dec = new Decoder(d.stream(vs), "viewer")) {
                    AVPacket pkt = av_packet_alloc();
                    try {
                        while (!interrupter.stopped() && d.read(pkt, "viewer")) {
                            try {
                                if (pkt.stream_index() == vs) {
                                    dec.decode(pkt, f -> seen.add(new Seen(System.nanoTime(),
                                            Av.seconds(f.best_effort_timestamp(), dec.timeBase()), classify.applyAsInt(f))), "viewer");
                                }
                            } finally {
                                av_packet_unref(pkt);
                            }
                        }
                    } finally {
                        av_packet_free(pkt);
                    }
                }
            } catch (Throwable t) {
                if (!interrupter.stopped()) {
                    failure = t;
                }
            }
        }, "flv-viewer");
        thread.start();
    }

    /** Every picture decoded so far, in order. */
    public List<Seen> seen() {
        return seen;
    }

    /** Why the viewer stopped before {@link #close()}, or null. */
    public Throwable failure() {
        return failure;
    }

    /** The average of a {@code size}x{@code size} block of one plane (0 Y, 1 U, 2 V) at plane coordinates (x, y). */
    public static int planeAverage(AVFrame f, int plane, int x, int y, int size) {
        int stride = f.linesize(plane);
        org.bytedeco.javacpp.BytePointer p = f.data(plane);
        long sum = 0;
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                sum += p.get((long) (y + j) * stride + x + i) & 0xFF;
            }
        }
        return (int) (sum / (size * size));
    }

    @Override
    public void close() throws InterruptedException {
        interrupter.stop();
        thread.join(10_000);
        interrupter.close();
    }
}
