package io.streammix.worker.engine.output;

import io.streammix.worker.media.Encoder;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;

/**
 * One audio encoder on its own thread, fed the mixed chunks by the outputs that use it and handing each packet, by
 * reference, to every one of them ({@link AudioSubscriber}). Outputs whose audio is encoded the same way (a ladder's
 * rungs) share one (see {@link SharedAudioEncodes}). Each output forwards the chunks it takes from its queue; the
 * first to forward a chunk feeds it, later copies of it are ignored, so a slow output does not hold up the others.
 * The last few packets are kept so that an output joining a running encoder gets the audio from its own first chunk
 * on (it took some time to open its video encoder). The encoder is flushed when every output has left, and its
 * context freed only once the thread has ended and every output has released it: the outputs' muxers were set up from
 * it and an output may still be writing the last packets when the flush ends (issue 24).
 */
final class SharedAudioEncode implements Runnable {
    private static final Logger LOG = Logger.getLogger(SharedAudioEncode.class);
    /** Encoders opened, for tests (one per distinct audio setting, not one per output). */
    static final AtomicInteger OPENED = new AtomicInteger();
    /** Packets kept for an output that joins: 64 AAC frames, 1.4 s, more than an output takes to open. */
    private static final int BACKLOG = 64;

    private record Chunk(short[] samples, long pos, int frames) {
    }

    final Encoder encoder;
    private final String name;
    private final AudioFramer framer;
    private final BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(512);
    private final ArrayDeque<AVPacket> backlog = new ArrayDeque<>();
    /** Guarded by this, as are the backlog and nextPos. */
    private final List<AudioSubscriber> subscribers = new ArrayList<>();
    /** The sample after the last chunk fed (MIN_VALUE: none yet). */
    private long nextPos = Long.MIN_VALUE;
    /** Outputs that joined and have not released the encoder yet; with {@code ended} and {@code closed}, guarded by this. */
    private int users;
    /** The thread has ended: nothing is encoded any more. */
    private boolean ended;
    private boolean closed;
    private volatile boolean flushRequested;
    private volatile boolean flushing;
    private volatile String failure;
    private final Runnable onFailure;

    SharedAudioEncode(Encoder encoder, String name, Runnable onFailure) {
        this.encoder = encoder;
        this.name = name;
        this.onFailure = onFailure;
        this.framer = new AudioFramer(encoder, name);
        OPENED.incrementAndGet();
        Thread t = new Thread(this, "audio-" + name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Adds an output that gets the packets from sample {@code from} on (MIN_VALUE: all; an output's first chunk, else
     * the next chunk to come), first those of the backlog.
     */
    synchronized AudioSubscriber subscribe(long from, java.util.function.Consumer<AVPacket> out, SharedAudioEncodes owner) {
        if (closed) {
            throw new IllegalStateException(failure != null ? failure : "audio encoder " + name + " is closed");
        }
        users++;
        long start = from != Long.MIN_VALUE ? from : nextPos;
        AudioSubscriber s = new AudioSubscriber(this, owner, start == Long.MIN_VALUE ? Long.MIN_VALUE : start - encoder.context().initial_padding(), out);
        for (AVPacket p : backlog) {
            s.offer(p, false);
        }
        subscribers.add(s);
        return s;
    }

    /** A chunk an output took from its queue; ignored when another output has already fed it. */
    synchronized void feed(short[] samples, long pos, int frames) {
        if (nextPos != Long.MIN_VALUE && pos < nextPos) {
            return;
        }
        nextPos = pos + frames;
        if (!chunks.offer(new Chunk(samples, pos, frames))) {
            LOG.debugf("audio encoder %s is behind: chunk at %d dropped", name, pos);
        }
    }

    synchronized void remove(AudioSubscriber s) {
        subscribers.remove(s);
    }

    /** Whether every output still here is leaving (then the encoder is flushed: nobody will feed it again). */
    synchronized boolean allLeaving() {
        return subscribers.stream().allMatch(AudioSubscriber::leaving);
    }

    /** Flushes once the chunks already fed are encoded, delivers the last packets, then closes. */
    void flushAndClose() {
        flushRequested = true;
    }

    /** An output that joined is done with the encoder (its muxers are closed); the last one lets the context go. */
    synchronized void release() {
        users--;
        closeIfUnused();
    }

    /** Whether the encoder's context is freed (for tests). */
    synchronized boolean closed() {
        return closed;
    }

    private void closeIfUnused() {
        if (ended && users == 0 && !closed) {
            closed = true;
            encoder.close();
        }
    }

    String failure() {
        return failure;
    }

    boolean flushing() {
        return flushing;
    }

    @Override
    public void run() {
        try {
            while (true) {
                Chunk c = chunks.poll(50, TimeUnit.MILLISECONDS);
                if (c != null) {
                    framer.add(c.samples(), c.pos(), c.frames(), f -> encoder.encode(f, this::deliver));
                } else if (flushRequested) {
                    flushing = true;
                    encoder.encode(null, this::deliver);
                    break;
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            failure = "audio encoder " + name + " failed: " + e.getMessage();
            LOG.error(failure);
            onFailure.run();
        } finally {
            synchronized (this) {
                subscribers.forEach(AudioSubscriber::done);
                subscribers.clear();
                backlog.forEach(p -> av_packet_free(p));
                backlog.clear();
            }
            framer.close();
            synchronized (this) {
                ended = true;
                closeIfUnused();
            }
        }
    }

    /** Hands a packet to every output (each takes its own reference) and keeps one in the backlog. */
    private synchronized void deliver(AVPacket pkt) {
        backlog.addLast(av_packet_clone(pkt));
        if (backlog.size() > BACKLOG) {
            av_packet_free(backlog.removeFirst());
        }
        subscribers.removeIf(s -> !s.offer(pkt, flushing));
    }
}
