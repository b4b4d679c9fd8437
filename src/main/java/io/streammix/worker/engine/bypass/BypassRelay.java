package io.streammix.worker.engine.bypass;

import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.mix.InputSlot;
import io.streammix.worker.engine.output.sink.OutputSinks;
import io.streammix.worker.engine.retry.RetrySchedule;
import io.streammix.worker.engine.source.InputSource;
import io.streammix.worker.media.Demuxer;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.MediaException;
import io.streammix.worker.playback.LiveStreams;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * Bypass ({@code spec.bypass} with one input): the input's packets go to every output as they are, remuxed, never
 * decoded or encoded; layout, background, watermark, volume and SEI do not apply. One thread reads the input (its
 * best video and best audio stream) and hands each packet by reference to the {@link BypassOutput}s, which write on
 * their own threads, to their URL or file and to the media port (HTTP-FLV and HLS under the output's key), as mixed
 * outputs do.
 *
 * <p>Timestamps: each connection of the input is shifted onto one output timeline that starts at 0: the first
 * packet of a connection lands at the later of the end of the previous connection and the time since the relay
 * started, the same shift for audio and video so their sync is kept. Files (and looped files) are read at real
 * time; network sources are relayed as their packets arrive. A network input reconnects with backoff; a new connection with the same stream parameters continues the
 * outputs (from a keyframe), other parameters reopen them.
 */
public final class BypassRelay implements Runnable {
    private static final Logger LOG = Logger.getLogger(BypassRelay.class);
    private final RetrySchedule retry = RetrySchedule.standard();
    /** Packets are sent this far ahead of their time at most (files are paced to real time). */
    private static final double LEAD = 0.3;

    /** Whether a spec is mixed by bypass: {@code bypass: true} and exactly one input (the validator enforces it). */
    public static boolean applies(MixTaskSpec spec) {
        return Boolean.TRUE.equals(spec.bypass) && spec.inputs != null && spec.inputs.size() == 1;
    }

    public final InputSlot slot;
    private final InputSource source;
    private final List<BypassOutput> outputs = new ArrayList<>();
    private final List<BypassSession> sessions = new ArrayList<>();
    private final Interrupter interrupter = new Interrupter();
    private final long startNanos = System.nanoTime();
    private volatile boolean stopped;
    private volatile Thread thread;
    private double lastEnd;

    /**
     * @param source null when the input's URL was refused (the slot says why)
     */
    public BypassRelay(MixInput in, String inputName, InputSource source, List<MixOutput> outs, Path outputDir, Path hlsDir,
                LiveStreams streams) {
        this.slot = new InputSlot(inputName);
        this.source = source;
        for (int i = 0; i < outs.size(); i++) {
            try {
                // The same sinks as a mixed output: its URL or file, and its streams on the media port.
                outputs.add(new BypassOutput(outs.get(i), i, OutputSinks.of(outs.get(i), i, outputDir, hlsDir, streams, null), null));
            } catch (IllegalArgumentException e) {
                outputs.add(new BypassOutput(outs.get(i), i, List.of(), "spec.outputs[" + i + "].url: " + e.getMessage()));
            }
        }
    }

    public void start() {
        outputs.forEach(BypassOutput::start);
        if (source == null) {
            return;
        }
        thread = new Thread(this, "bypass-input-" + slot.name);
        thread.setDaemon(true);
        thread.start();
    }

    public List<BypassOutput> outputs() {
        return outputs;
    }

    public List<WorkerReport.Output> reports() {
        return outputs.stream().map(BypassOutput::report).toList();
    }

    /** Stops reading, then lets every output write what it has and its trailer. */
    public void close() {
        stopped = true;
        interrupter.stop();
        Thread t = thread;
        try {
            if (t != null) {
                LockSupport.unpark(t);
                t.join(5000);
            }
            for (BypassOutput o : outputs) {
                o.stop(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t == null || !t.isAlive()) {
            sessions.forEach(BypassSession::close);
            interrupter.close();
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            if (!WorkerReport.Input.LOST.equals(slot.state())) {
                slot.connecting();
            }
            long began = System.nanoTime();
            try {
                if (session()) {
                    slot.lost("end of file");
                    return;
                }
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                String before = slot.reason();
                slot.lost(e.getMessage());
                if (!e.getMessage().equals(before)) {
                    LOG.warnf("input %s (%s) lost: %s; retrying with backoff", slot.name, source.safeName(), e.getMessage());
                }
            }
            if ((System.nanoTime() - began) / 1_000_000 > 10_000) {
                retry.reset(); // a connection that held for a while is not a flapping source
            }
            retry.failed();
            retry.awaitDue(() -> stopped);
        }
    }

    /** One connection; returns true when a file that does not loop has ended. */
    private boolean session() {
        if (source.stillImage() || source.graph()) {
            throw new MediaException(slot.name + ": bypass needs an encoded stream or file, not a picture or a synthetic source");
        }
        try (Demuxer d = Demuxer.open(source.url(), source.format(), source.options(), interrupter,
                InputSource.CONNECT_TIMEOUT_MS, source.readTimeoutMillis(), slot.name)) {
            int vs = d.bestStream(AVMEDIA_TYPE_VIDEO);
            int as = d.bestStream(AVMEDIA_TYPE_AUDIO);
            if (vs < 0 && as < 0) {
                throw new MediaException(slot.name + ": no audio or video stream");
            }
            List<AVStream> streams = new ArrayList<>();
            int[] index = new int[Math.max(vs, as) + 1];
            java.util.Arrays.fill(index, -1);
            for (int s : new int[]{vs, as}) {
                if (s >= 0) {
                    index[s] = streams.size();
                    streams.add(d.stream(s));
                }
            }
            BypassSession session = new BypassSession(streams);
            synchronized (this) {
                sessions.add(session);
            }
            return pump(d, session, index);
        }
    }

    private boolean pump(Demuxer d, BypassSession session, int[] index) {
        AVPacket pkt = av_packet_alloc();
        double offset = Double.NaN;
        try {
            while (!stopped) {
                if (!d.read(pkt, slot.name)) {
                    if (source.loop()) {
                        d.rewind(slot.name);
                        offset = Double.NaN; // the next pass continues after the end of this one
                        continue;
                    }
                    if (source.network()) {
                        throw new MediaException(slot.name + ": the stream ended");
                    }
                    return true;
                }
                try {
                    int i = pkt.stream_index() < index.length ? index[pkt.stream_index()] : -1;
                    long ts = pkt.dts() != AV_NOPTS_VALUE ? pkt.dts() : pkt.pts();
                    if (i < 0 || ts == AV_NOPTS_VALUE) {
                        continue;
                    }
                    var tb = session.stream(i).source().timeBase();
                    double sec = ts * tb.num() / (double) tb.den();
                    if (Double.isNaN(offset)) {
                        offset = Math.max(lastEnd, elapsed()) - sec;
                    }
                    long shift = Math.round(offset * tb.den() / tb.num());
                    if (pkt.pts() != AV_NOPTS_VALUE) {
                        pkt.pts(pkt.pts() + shift);
                    }
                    if (pkt.dts() != AV_NOPTS_VALUE) {
                        pkt.dts(pkt.dts() + shift);
                    }
                    double t = sec + offset;
                    lastEnd = Math.max(lastEnd, t + Math.max(0, pkt.duration()) * tb.num() / (double) tb.den());
                    // Files are paced to real time; a network source paces itself (holding its packets would only add delay).
                    while (!source.network() && !stopped && t - LEAD > elapsed()) {
                        LockSupport.parkNanos((long) (Math.min(0.05, t - LEAD - elapsed()) * 1e9));
                    }
                    if (!slot.isLive()) {
                        slot.live();
                        LOG.infof("input %s (%s) live, relayed without re-encoding", slot.name, source.safeName());
                    }
                    for (BypassOutput o : outputs) {
                        o.offer(session, i, pkt);
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
            return false;
        } finally {
            av_packet_free(pkt);
        }
    }

    private double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

}
