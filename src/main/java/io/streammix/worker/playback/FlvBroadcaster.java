package io.streammix.worker.playback;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live HTTP-FLV stream fanned out to its clients. The output's FLV muxer writes into {@link #header} once
 * and into {@link #publish} for every packet, on the encoding thread; each client has its own queue and its own
 * writer thread (the HTTP handler's), so the encoder never waits for a socket.
 *
 * <p>Late joiners: the broadcaster keeps the muxer's header (FLV header, metadata, codec configuration) and the
 * tags since the last video keyframe (one GOP, about 2 s). A new client gets the header, that GOP, then live
 * tags: it starts decoding at a keyframe at once, with no need for a muxer per client. Audio-only streams keep
 * no GOP (every audio tag can start a stream).
 *
 * <p>Slow clients: a client whose queue holds more than {@code maxLagNanos} of tags, or more than
 * {@code maxQueuedBytes}, is dropped: its queue is cleared and its writer interrupted (which also aborts a
 * write blocked on its socket). The encoder and the other clients never notice.
 */
public final class FlvBroadcaster {
    private static final Logger LOG = Logger.getLogger(FlvBroadcaster.class);
    private static final byte[] END = new byte[0];

    private final String name;
    private final long maxLagNanos;
    private final long maxQueuedBytes;
    private final FlvTags tags = new FlvTags();
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedClients = new AtomicLong();
    private byte[] header;
    private final List<byte[]> gop = new ArrayList<>();
    private long gopBytes;
    private boolean hasVideo;
    private boolean ended;

    public FlvBroadcaster(String name, long maxLagNanos, long maxQueuedBytes) {
        this.name = name;
        this.maxLagNanos = maxLagNanos;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    private record Chunk(byte[] bytes, long at) {
    }

    private final class Client {
        final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        final AtomicLong queued = new AtomicLong();
        volatile Thread writer;
        volatile boolean dropped;

        boolean offer(byte[] b, long now) {
            Chunk head = queue.peek();
            if (head != null && (now - head.at() > maxLagNanos || queued.get() + b.length > maxQueuedBytes)) {
                return false;
            }
            queued.addAndGet(b.length);
            queue.add(new Chunk(b, now));
            return true;
        }
    }

    /** The bytes the muxer wrote with its header: everything a client needs before its first tag. */
    public synchronized void header(byte[] bytes, boolean video) {
        this.header = bytes;
        this.hasVideo = video;
    }

    /** Bytes the muxer wrote after its header (whole or partial tags). */
    public void publish(byte[] bytes) {
        long now = System.nanoTime();
        synchronized (this) {
            for (FlvTags.Tag t : tags.feed(bytes)) {
                if (hasVideo) {
                    if (t.keyframe()) {
                        gop.clear();
                        gopBytes = 0;
                    }
                    // A GOP that grows without bound (no keyframe) is given up: joiners then wait for one.
                    if (gopBytes + t.bytes().length <= maxQueuedBytes && (t.keyframe() || !gop.isEmpty())) {
                        gop.add(t.bytes());
                        gopBytes += t.bytes().length;
                    }
                }
                for (Client c : clients) {
                    if (!c.dropped && !c.offer(t.bytes(), now)) {
                        drop(c);
                    }
                }
            }
        }
    }

    private void drop(Client c) {
        c.dropped = true;
        c.queue.clear();
        clients.remove(c);
        droppedClients.incrementAndGet();
        Thread w = c.writer;
        if (w != null) {
            w.interrupt();
        }
        LOG.infof("HTTP-FLV %s: dropped a client that fell behind", name);
    }

    /** The stream ended (output stopped): clients finish what they have and their responses end. */
    public void end() {
        synchronized (this) {
            ended = true;
            for (Client c : clients) {
                c.queue.add(new Chunk(END, System.nanoTime()));
            }
        }
    }

    public int clients() {
        return clients.size();
    }

    public long droppedClients() {
        return droppedClients.get();
    }

    /** True once the muxer's header is known: the stream can be played. */
    public synchronized boolean ready() {
        return header != null && !ended;
    }

    /**
     * Streams to {@code out} on the calling thread until the stream ends, the client goes away or is dropped.
     * Returns normally in every case; the caller closes {@code out}.
     */
    public void stream(OutputStream out) {
        Client c = new Client();
        c.writer = Thread.currentThread();
        synchronized (this) {
            if (header == null || ended) {
                return;
            }
            long now = System.nanoTime();
            c.offer(header, now);
            for (byte[] t : gop) {
                c.offer(t, now);
            }
            clients.add(c);
        }
        try {
            while (!c.dropped) {
                Chunk chunk = c.queue.poll(1, TimeUnit.SECONDS);
                if (chunk == null) {
                    continue;
                }
                if (chunk.bytes() == END) {
                    break;
                }
                c.queued.addAndGet(-chunk.bytes().length);
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (InterruptedException | InterruptedIOException e) {
            // dropped as too slow
        } catch (IOException e) {
            LOG.debugf("HTTP-FLV %s: client went away: %s", name, e.getMessage());
        } finally {
            clients.remove(c);
            Thread.interrupted(); // the pool thread goes back clean
        }
    }
}
