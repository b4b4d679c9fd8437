package io.streammix.worker.engine.bypass;

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.output.sink.OutputSink;
import io.streammix.worker.engine.output.sink.OutputSinks;
import io.streammix.worker.engine.output.sink.OutputTarget;
import io.streammix.worker.engine.output.sink.UrlSink;
import io.streammix.worker.engine.retry.SinkRetry;
import io.streammix.worker.engine.status.OutputFigures;
import io.streammix.worker.engine.status.OutputHealth;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.Muxer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * One output of a bypassed task, on its own thread with a bounded queue: the input's packets, copied without decoding
 * into each of the output's sinks ({@link OutputSinks}, as for a mixed output: its URL or file if it has one, and its
 * HTTP-FLV and HLS streams on the media port under its key). Video is written from a keyframe on: after (re)opening a
 * sink, after packets were dropped (the queue was full) and when the input reconnected. When the input comes back
 * with other stream parameters every sink is closed (trailer) and opened again with the new ones: a network output
 * publishes again, the media-port streams start over, a file output goes on in a new file ({@code name-2.mp4}, ...).
 * A lost network sink comes back as its server does ({@link SinkRetry}). The output's encoding settings do not apply;
 * an output without video takes the input's audio only.
 */
public final class BypassOutput implements Runnable {
    private static final Logger LOG = Logger.getLogger(BypassOutput.class);

    /** A packet (our own reference) of stream {@code stream} of {@code session}; a null session asks to stop. */
    private record Item(BypassSession session, int stream, AVPacket pkt) {
    }

    public final String name;
    /** State and counters, for status and metrics. */
    final OutputHealth health;
    private final MixOutput spec;
    private final List<OutputSink> sinks;
    /** The output's URL or file, null when it has none (played from the media port only). */
    private final UrlSink url;
    private final OutputTarget first;
    private final String setupError;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(1024);
    private final Interrupter interrupter = new Interrupter();
    private final List<String> files = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean dropUntilKeyframe;
    private volatile Thread thread;

    private BypassSession session;
    private boolean opened;
    private int[] mapping;
    private double[] lastDts;
    private int fileNumber = 1;

    /**
     * @param sinks      where the packets go ({@link OutputSinks#of})
     * @param setupError when not null, this output cannot run (e.g. a refused URL): it reports Failed with it
     */
    BypassOutput(MixOutput spec, int index, List<OutputSink> sinks, String setupError) {
        this.spec = spec;
        this.name = spec.displayName(index);
        this.health = new OutputHealth(name);
        this.sinks = List.copyOf(sinks);
        this.url = sinks.stream().filter(s -> s.getClass() == UrlSink.class).map(UrlSink.class::cast).findFirst().orElse(null);
        this.first = url == null ? null : url.target();
        this.setupError = setupError;
        if (setupError != null) {
            health.set(WorkerReport.Output.FAILED, setupError);
        }
    }

    public void start() {
        if (setupError != null) {
            return;
        }
        thread = new Thread(this, "bypass-output-" + name);
        thread.start();
    }

    /** Takes a reference to {@code pkt} (no copy) unless this output does not carry that stream or is behind. */
    void offer(BypassSession s, int stream, AVPacket pkt) {
        if (s.stream(stream).video() && !spec.hasVideo() || setupError != null) {
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
                if (item != null && item.session() == null) {
                    break;
                }
                if (item != null) {
                    try {
                        handle(item);
                    } finally {
                        av_packet_free(item.pkt());
                    }
                }
                if (opened) {
                    long now = System.nanoTime();
                    for (OutputSink sink : sinks) {
                        sink.reconnectIfDue(interrupter, name); // it starts from the input's next keyframe
                        sink.measure(now);
                    }
                    updateState();
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            setState(WorkerReport.Output.FAILED, e.getMessage());
            LOG.errorf("output %s (%s) failed: %s", name, safeNames(), e.getMessage());
        } finally {
            sinks.forEach(sink -> sink.close(name));
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
                sinks.forEach(sink -> sink.close(name));
                opened = false;
                if (first != null && first.file() != null) {
                    url.target(nextFile());
                }
            } else {
                // Same parameters from a new connection: the new pictures start with a keyframe (the relay's
                // timestamps go on increasing, so lastDts stays).
                sinks.forEach(OutputSink::awaitKeyframe);
            }
        }
        session = s;
        if (!opened) {
            open();
            if (!opened) {
                return;
            }
        }
        int out = mapping[item.stream()];
        if (out < 0) {
            return;
        }
        AVPacket pkt = item.pkt();
        BypassSession.Stream st = s.stream(item.stream());
        if (st.video() && dropUntilKeyframe) {
            dropUntilKeyframe = false;
            sinks.forEach(OutputSink::awaitKeyframe);
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
        long wrote = 0;
        for (OutputSink sink : sinks) {
            wrote = Math.max(wrote, sink.write(out, pkt, st.video(), name));
        }
        health.addBytes(wrote);
        if (wrote > 0 && (st.video() || !session.hasVideo() || !spec.hasVideo())) {
            health.frameWritten();
        }
    }

    /** Opens every sink for the current session's streams (a file that cannot be written fails the output). */
    private void open() {
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
        Muxer.Streams streams = Muxer.Streams.copying(sources, name);
        for (OutputSink sink : sinks) {
            sink.open(streams, interrupter, name);
            List<String> f = sink.files();
            if (f != null && sink.isOpen()) {
                f.stream().filter(p -> !files.contains(p)).forEach(files::add);
            }
        }
        opened = true;
        LOG.infof("output %s relaying to %s", name, safeNames());
        updateState();
    }

    /** Live while every sink writes; Reconnecting (with the first sink's reason) while one is retrying. */
    private void updateState() {
        String problem = OutputSinks.problem(sinks);
        setState(problem == null ? WorkerReport.Output.LIVE : WorkerReport.Output.RECONNECTING, problem);
    }

    private String safeNames() {
        return OutputSinks.safeNames(sinks);
    }

    private OutputTarget nextFile() {
        fileNumber++;
        Path f = first.file();
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String next = dot > 0 ? n.substring(0, dot) + "-" + fileNumber + n.substring(dot) : n + "-" + fileNumber;
        Path p = f.resolveSibling(next);
        return new OutputTarget(p.toString(), first.format(), first.muxerOptions(), false, p, first.safeName(), null);
    }

    private void setState(String s, String why) {
        health.set(s, why);
    }

    public String state() {
        return health.state();
    }

    /** Media-port streams of this output that were given up, for the report's warnings. */
    public List<String> warnings() {
        return sinks.stream().map(OutputSink::givenUp).filter(java.util.Objects::nonNull).map(w -> "output " + name + ": " + w).toList();
    }

    public OutputFigures figures() {
        long reconnects = sinks.stream().mapToLong(OutputSink::reconnects).sum();
        return health.figures(null, 0, reconnects, files.size(), null)
                .withSinks(sinks.stream().map(OutputSink::figures).toList());
    }

    public WorkerReport.Output report() {
        return health.report(null, files.isEmpty() ? null : List.copyOf(files), null);
    }
}
