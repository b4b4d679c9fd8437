package io.streammix.worker.engine.output.sink;

import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.retry.SinkRetry;
import io.streammix.worker.engine.status.SinkFigures;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.MediaException;
import io.streammix.worker.media.Muxer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;

/**
 * One destination of an output's encoded packets, with its own muxer: a URL or file ({@link UrlSink}), the
 * worker's own HLS directory ({@link HlsSink}) or its live HTTP-FLV stream ({@link FlvLiveSink}). An output
 * encodes once (a bypassed one copies the input's packets) and writes every packet to each of its sinks, each with its
 * own packet reference (a muxer rescales the packet in place and takes its reference).
 *
 * <p>A network sink that fails is closed and reopened as soon as its server answers again ({@link SinkRetry}: a cheap
 * port probe every 250 ms, a reopen when it answers) while encoding goes on; an optional sink (the media-port playback of an output that has a URL) that fails is given up with a warning;
 * any other sink's failure fails its output. After (re)opening, a sink with video skips packets until the next
 * video keyframe, so every connection and file starts decodable.
 */
public abstract class OutputSink {
    private static final Logger LOG = Logger.getLogger(OutputSink.class);
    static final long IO_TIMEOUT_MS = 8_000;

    private Muxer muxer;
    private Muxer.Streams streams;
    private boolean hasVideo;
    private boolean waitingForKey;
    private volatile SinkRetry retry;
    private volatile String problem;
    private volatile String givenUp;
    private boolean optional;
    /** Failures that scheduled a reconnect; read by a metrics scrape. */
    private volatile long reconnects;
    /** Reopens tried after a failure (the port probes before them are counted by {@link SinkRetry}). */
    private volatile long reopens;
    /** What reached this destination, for the metrics: a muxer is open, bytes written, and the rate over 2 s. */
    private volatile boolean open;
    private volatile String failed;
    private volatile long bytes;
    private volatile long bitrate = -1;
    private long rateBytes;
    private long rateSince;

    /** Where this sink writes, safe for logs and status (no stream keys). */
    public abstract String safeName();

    /** The kind of destination, the metrics' {@code sink} label: push, file, hls or flv ({@link SinkFigures}). */
    public abstract String kind();

    /** FFmpeg's muxer name (flv, mp4, hls...): which codecs this sink can hold. */
    public abstract String format();

    /** True when failures are retried (pushes to a server); false when they fail the output. */
    abstract boolean network();

    /** Opens a new muxer on this sink's destination for these streams. */
    abstract Muxer openMuxer(Muxer.Streams streams, Interrupter interrupter, String output) throws IOException;

    /** The URL a network sink reconnects to, for {@link SinkRetry} (which keeps only its host and port). */
    String retryUrl() {
        return null;
    }

    /** Called before each packet is given to {@code muxer} (e.g. to decide where a recording's file ends). */
    void writing(Muxer muxer, int stream, AVPacket pkt, boolean video) {
    }

    /** Called after each packet written to {@code muxer}; by default {@link #written()}. */
    void written(Muxer muxer) {
        written();
    }

    /** Called after each packet written (e.g. to push buffered bytes to clients). */
    void written() {
    }

    /** Called after the muxer is closed (trailer written) or lost. */
    void closed() {
    }

    /** Files this sink wrote, for the status; null when none. */
    public List<String> files() {
        return null;
    }

    /** Marks this sink as an extra: its failure never fails the output. */
    final OutputSink optional() {
        optional = true;
        return this;
    }

    /** Why an optional sink was given up, null while it works. */
    public String givenUp() {
        return givenUp;
    }

    /** Network failures of this sink that scheduled a reconnect. */
    public long reconnects() {
        return reconnects;
    }

    /** This destination's own figures: its state, what was written to it, its attempts to reach it again. */
    public final SinkFigures figures() {
        SinkRetry r = retry;
        String state = failed != null || givenUp != null ? WorkerReport.Output.FAILED
                : open ? WorkerReport.Output.LIVE
                : problem != null ? WorkerReport.Output.RECONNECTING : WorkerReport.Output.CONNECTING;
        return new SinkFigures(kind(), state, bytes, bitrate, reopens + (r == null ? 0 : r.probesStarted()));
    }

    /**
     * Measures the bits per second written to this sink over the last 2 s or more; called by the output's thread
     * whether or not anything was written, so a destination that receives nothing shows 0.
     */
    public final void measure(long now) {
        if (rateSince == 0) {
            rateSince = now;
            rateBytes = bytes;
        } else if (now - rateSince >= 2_000_000_000L) {
            long b = bytes;
            bitrate = (b - rateBytes) * 8 * 1_000_000_000L / (now - rateSince);
            rateBytes = b;
            rateSince = now;
        }
    }

    /** Why this sink is not writing (it is reconnecting), null when it is. */
    public String problem() {
        return problem;
    }

    /** Opens the sink; a network sink that cannot connect schedules a retry instead of throwing. */
    public final void open(Muxer.Streams streams, Interrupter interrupter, String output) {
        this.streams = streams;
        this.hasVideo = streams.hasVideo();
        problem = null;
        givenUp = null;
        connect(interrupter, output);
    }

    /** True while a muxer is open (not lost, not given up, not closed). */
    public final boolean isOpen() {
        return muxer != null;
    }

    /** Skips packets until the next video keyframe (bypass: the input reconnected, or packets were dropped). */
    public final void awaitKeyframe() {
        waitingForKey = hasVideo;
    }

    private void connect(Interrupter interrupter, String output) {
        try {
            muxer = openMuxer(streams, interrupter, output);
            open = true;
            waitingForKey = hasVideo;
            if (network()) {
                retry().opened(System.nanoTime());
            }
            problem = null;
            LOG.infof("output %s writing to %s", output, safeName());
        } catch (IOException | MediaException e) {
            if (optional) {
                giveUp(output, e.getMessage());
                return;
            }
            if (!network()) {
                failed = e.getMessage();
                throw new MediaException(e.getMessage());
            }
            retryLater(output, e.getMessage(), false);
        }
    }

    private void giveUp(String output, String why) {
        givenUp = safeName() + " stopped: " + why;
        LOG.warnf("output %s: %s", output, givenUp);
    }

    /** @param wasOpen true when an open connection failed, false when opening failed */
    private void retryLater(String output, String why, boolean wasOpen) {
        reconnects++; // one writer: the output's thread
        SinkRetry retry = retry();
        long now = System.nanoTime();
        if (wasOpen) {
            retry.lost(now);
        } else {
            retry.openFailed(now);
        }
        String next = retry.nextAttempt(now);
        // The status shows when the next attempt is; the URL (it may hold a stream key) never appears.
        problem = why + " (" + next + (retry.probes() ? ", as soon as the server answers)" : ")");
        LOG.warnf("output %s (%s): %s; %s", output, safeName(), why, next);
    }

    private SinkRetry retry() {
        if (retry == null) {
            String url = retryUrl();
            retry = SinkRetry.of(url == null ? "" : url);
        }
        return retry;
    }

    /** Reopens a lost network sink when its server answers again. Returns true when it was reopened. */
    public final boolean reconnectIfDue(Interrupter interrupter, String output) {
        if (muxer != null || problem == null || !network() || retry == null || !retry.due(System.nanoTime())) {
            return false;
        }
        reopens++; // one writer: the output's thread
        connect(interrupter, output);
        return muxer != null;
    }

    /** Writes a reference to {@code pkt} (the caller keeps its own); returns the bytes written, 0 if skipped. */
    public final int write(int stream, AVPacket pkt, boolean video, String output) {
        if (muxer == null) {
            return 0;
        }
        if (waitingForKey) {
            if (!video || (pkt.flags() & AV_PKT_FLAG_KEY) == 0) {
                return 0;
            }
            waitingForKey = false;
        }
        AVPacket ref = av_packet_clone(pkt);
        int size = pkt.size();
        try {
            writing(muxer, stream, pkt, video);
            muxer.write(stream, ref);
            written(muxer);
            bytes += size; // one writer: the output's thread
            return size;
        } catch (MediaException e) {
            if (optional) {
                closeMuxer(output);
                giveUp(output, e.getMessage());
                return 0;
            }
            if (!network()) {
                failed = e.getMessage();
                throw e;
            }
            closeMuxer(output);
            retryLater(output, e.getMessage(), true);
            return 0;
        } finally {
            av_packet_free(ref);
        }
    }

    /** Writes the trailer and closes; a lost network sink stops retrying. */
    public final void close(String output) {
        closeMuxer(output);
        problem = null;
        if (retry != null) {
            retry.close();
        }
    }

    private void closeMuxer(String output) {
        if (muxer == null) {
            return;
        }
        try {
            muxer.close();
        } catch (RuntimeException e) {
            LOG.debugf("output %s (%s): closing: %s", output, safeName(), e.getMessage());
        } finally {
            muxer = null;
            open = false;
            closed();
        }
    }
}
