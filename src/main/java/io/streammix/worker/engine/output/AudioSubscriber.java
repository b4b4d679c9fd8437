package io.streammix.worker.engine.output;

import io.streammix.worker.media.Encoder;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;

/**
 * One output's place at a {@link SharedAudioEncode}: it feeds the chunks its output takes and gets the packets from
 * its own first chunk on (pts in samples on the mix timeline, as an encoder of its own would write them). When its
 * output stops it gets the packets up to the end of its last chunk (the encoder delays them by a frame or two), or the
 * flushed ones when it is the last to leave; an output that fails leaves at once.
 */
final class AudioSubscriber {
    private final SharedAudioEncode encode;
    private final SharedAudioEncodes owner;
    /** Packets before this pts are older than this output's audio. */
    private final long fromPts;
    private final Consumer<AVPacket> out;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** The sample after this output's last chunk (MAX_VALUE while it runs). Written by the output, read under the encode's lock. */
    private volatile long leaveAt = Long.MAX_VALUE;
    /** The sample after the last chunk this output fed (output thread). */
    private long lastEnd = Long.MIN_VALUE;
    private boolean released;

    AudioSubscriber(SharedAudioEncode encode, SharedAudioEncodes owner, long fromPts, Consumer<AVPacket> out) {
        this.encode = encode;
        this.owner = owner;
        this.fromPts = fromPts;
        this.out = out;
    }

    /** The encoder, for the muxers' stream parameters. */
    Encoder encoder() {
        return encode.encoder;
    }

    /** Feeds one chunk this output took from its queue. */
    void feed(short[] samples, long pos, int frames) {
        lastEnd = pos + frames;
        encode.feed(samples, pos, frames);
    }

    /** Whether the shared encoder's context is freed (for tests). */
    boolean encoderClosed() {
        return encode.closed();
    }

    /** Why the shared encoder stopped, or null. */
    String failure() {
        return encode.failure();
    }

    /**
     * Offers a packet (encode thread, under its lock); hands a reference to the output when it is in this output's
     * range. Returns false once this output has all it asked for (then it is let go).
     */
    boolean offer(AVPacket pkt, boolean flushed) {
        if (finished.getCount() == 0) {
            return false;
        }
        long pts = pkt.pts();
        long end = leaveAt;
        if (pts >= fromPts && (flushed || pts < end)) {
            out.accept(av_packet_clone(pkt));
        }
        if (!flushed && end != Long.MAX_VALUE && pts + Math.max(pkt.duration(), 1) >= end) {
            done();
            return false;
        }
        return true;
    }

    boolean leaving() {
        return leaveAt != Long.MAX_VALUE;
    }

    void done() {
        finished.countDown();
    }

    /**
     * This output stops: waits up to {@code millis} for the packets of its last chunks (the other outputs keep feeding
     * the encoder; when none is left it is flushed).
     */
    void finish(long millis) throws InterruptedException {
        leave(lastEnd == Long.MIN_VALUE ? Long.MIN_VALUE + 1 : lastEnd);
        finished.await(millis, TimeUnit.MILLISECONDS);
        done();
        encode.remove(this);
    }

    /** This output failed: it takes no more packets. */
    void abandon() {
        done();
        leave(Long.MIN_VALUE + 1);
        encode.remove(this);
    }

    /**
     * This output's muxers are closed: it no longer needs the encoder's context (its streams were set up from it).
     * Call once the output has left ({@link #finish} or {@link #abandon}); output thread.
     */
    void release() {
        if (!released) {
            released = true;
            encode.release();
        }
    }

    private void leave(long at) {
        leaveAt = at;
        owner.left(encode);
    }
}
