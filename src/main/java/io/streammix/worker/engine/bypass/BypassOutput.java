package io.streammix.worker.engine.bypass;

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.output.OutputTarget;
import io.streammix.worker.engine.retry.RetrySchedule;
import io.streammix.worker.engine.status.OutputFigures;
import io.streammix.worker.engine.status.OutputHealth;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.MediaException;
import io.streammix.worker.media.Muxer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * One output of a bypassed task, on its own thread with a bounded queue: the input's packets, copied into the
 * output's container without decoding. Video is written from a keyframe on: after (re)connecting, after packets were
 * dropped (the queue was full) and when the input reconnected. When the input comes back with other stream
 * parameters the output is closed (trailer) and opened again with the new ones: a network output publishes again, a
 * file output goes on in a new file ({@code name-2.mp4}, ...). The output's encoding settings do not apply; an output
 * without video takes the input's audio only.
 */
public final class BypassOutput implements Runnable {
    private static final Logger LOG = Logger.getLogger(BypassOutput.class);
    private static final long IO_TIMEOUT_MS = 8_000;

    /** A packet (our own reference) of stream {@code stream} of {@code session}; a null session asks to stop. */
    private record Item(BypassSession session, int stream, AVPacket pkt) {
    }

    public final String name;
    /** State and counters, for status and metrics. */
    final OutputHealth health;
    private final MixOutput spec;
    private final OutputTarget first;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(1024);
    private final Interrupter interrupter = new Interrupter();
    private final List<String> files = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean dropUntilKeyframe;
    private volatile Thread thread;

    private OutputTarget target;
    private Muxer muxer;
    private BypassSession session;
    private int[] mapping;
    private double[] lastDts;
    private boolean needKeyframe = true;
    private final RetrySchedule retry = RetrySchedule.standard();
    private int fileNumber = 1;

    BypassOutput(MixOutput spec, int index, OutputTarget target) {
        this.spec = spec;
        this.name = spec.displayName(index);
        this.health = new OutputHealth(name);
        this.first = target;
        this.target = target;
    }

    public void start() {
        thread = new Thread(this, "bypass-output-" + name);
        thread.start();
    }

    /** Takes a reference to {@code pkt} (no copy) unless this output does not carry that stream or is behind. */
    void offer(BypassSession s, int stream, AVPacket pkt) {
        if (s.stream(stream).video() && !spec.hasVideo()) {
            return;
        }
        AVPacket ref = av_packet_clone(pkt);
        if (!queue.offer(new Item(s, stream, ref))) {
            av_packet_free(ref);
            if (s.stream(stream).video()) {
                health.videoDropped();
            } else {
                health.itemDropped();
            }
            dropUntilKeyframe = true;
        }
    }

    /** Writes what is queued, the trailer, and waits up to {@code millis}. */
    public void stop(long millis) throws InterruptedException {
        if (!queue.offer(new Item(null, 0, null), millis, TimeUnit.MILLISECONDS)) {
            interrupter.stop();
        }
        Thread t = thread;
        if (t != null) {
            t.join(millis);
            if (t.isAlive()) {
                interrupter.stop();
                t.join(millis);
            }
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                Item item = queue.poll(200, TimeUnit.MILLISECONDS);
                if (item == null) {
                    continue;
                }
                if (item.session() == null) {
                    break;
                }
                try {
                    handle(item);
                } finally {
                    av_packet_free(item.pkt());
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            setState(WorkerReport.Output.FAILED, e.getMessage());
            LOG.errorf("output %s (%s) failed: %s", name, target.safeName(), e.getMessage());
        } finally {
            closeMuxer();
            Item left;
            while ((left = queue.poll()) != null) {
                if (left.pkt() != null) {
                    av_packet_free(left.pkt());
                }
            }
            interrupter.close();
        }
    }

    private void handle(Item item) {
        BypassSession s = item.session();
        if (session != null && s != session) {
            if (!s.signature().equals(session.signature())) {
                // New stream parameters: a new header. A file goes on in the next file rather than being overwritten.
                LOG.infof("output %s: the input's stream parameters changed; reopening", name);
                closeMuxer();
                if (target.file() != null) {
                    target = nextFile();
                }
            }
            // Same parameters from a new connection: the new pictures start with a keyframe (the relay's timestamps
            // go on increasing, so lastDts stays).
            needKeyframe = true;
        }
        session = s;
        if (muxer == null) {
            if (target.network() && !retry.due()) {
                return;
            }
            connect();
            if (muxer == null) {
                return;
            }
        }
        int out = mapping[item.stream()];
        if (out < 0) {
            return;
        }
        AVPacket pkt = item.pkt();
        BypassSession.Stream st = s.stream(item.stream());
        if (st.video()) {
            if (dropUntilKeyframe) {
                dropUntilKeyframe = false;
                needKeyframe = true;
            }
            if (needKeyframe) {
                if ((pkt.flags() & AV_PKT_FLAG_KEY) == 0) {
                    return;
                }
                needKeyframe = false;
            }
        }
        // Containers want increasing dts per stream: a packet that goes back (a confused source) is left out.
        long ts = pkt.dts() != AV_NOPTS_VALUE ? pkt.dts() : pkt.pts();
        double dts = ts == AV_NOPTS_VALUE ? Double.NaN : ts * st.source().timeBase().num() / (double) st.source().timeBase().den();
        if (!Double.isNaN(dts)) {
            if (dts <= lastDts[out]) {
                return;
            }
            lastDts[out] = dts;
        }
        try {
            muxer.write(out, pkt);
            health.bytes(muxer.bytes());
            if (st.video() || !session.hasVideo() || !spec.hasVideo()) {
                health.frameWritten();
            }
        } catch (MediaException e) {
            if (!target.network()) {
                throw e;
            }
            closeMuxer();
            retryLater(e.getMessage());
        }
    }

    private void connect() {
        List<Muxer.CopySource> sources = new ArrayList<>();
        mapping = new int[session.streams().size()];
        for (int i = 0; i < mapping.length; i++) {
            BypassSession.Stream st = session.stream(i);
            if (st.video() && !spec.hasVideo()) {
                mapping[i] = -1;
            } else {
                mapping[i] = sources.size();
                sources.add(st.source());
            }
        }
        if (sources.isEmpty()) {
            setState(WorkerReport.Output.FAILED, "the input has no stream this output can carry (audio-only output, video-only input)");
            return;
        }
        lastDts = new double[sources.size()];
        java.util.Arrays.fill(lastDts, Double.NEGATIVE_INFINITY);
        try {
            if (target.file() != null && target.file().getParent() != null) {
                Files.createDirectories(target.file().getParent());
            }
            muxer = Muxer.copying(target.format(), target.url(), sources, target.muxerOptions(), interrupter, IO_TIMEOUT_MS, name);
            if (target.file() != null && !files.contains(target.file().toString())) {
                files.add(target.file().toString());
            }
            needKeyframe = true;
            retry.reset();
            setState(WorkerReport.Output.LIVE, null);
            LOG.infof("output %s relaying to %s", name, target.safeName());
        } catch (java.io.IOException | MediaException e) {
            if (!target.network()) {
                throw new MediaException(e.getMessage());
            }
            retryLater(e.getMessage());
        }
    }

    private void retryLater(String why) {
        health.reconnectScheduled();
        setState(WorkerReport.Output.RECONNECTING, why);
        long delay = retry.failed();
        LOG.warnf("output %s (%s): %s; retrying in %d ms", name, target.safeName(), why, delay);
    }

    private OutputTarget nextFile() {
        fileNumber++;
        Path f = first.file();
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String next = dot > 0 ? n.substring(0, dot) + "-" + fileNumber + n.substring(dot) : n + "-" + fileNumber;
        Path p = f.resolveSibling(next);
        return new OutputTarget(p.toString(), first.format(), first.muxerOptions(), false, p, "file " + p.getFileName(), null);
    }

    private void closeMuxer() {
        if (muxer != null) {
            try {
                muxer.close();
            } catch (RuntimeException e) {
                LOG.debugf("output %s: closing: %s", name, e.getMessage());
            }
            muxer = null;
        }
    }

    private void setState(String s, String why) {
        health.set(s, why);
    }

    public String state() {
        return health.state();
    }

    public OutputFigures figures() {
        return health.figures(null, 0, 0, files.size(), null);
    }

    public WorkerReport.Output report() {
        return health.report(null, files.isEmpty() ? null : List.copyOf(files), null);
    }
}
