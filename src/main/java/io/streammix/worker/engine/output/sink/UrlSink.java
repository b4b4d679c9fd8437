package io.streammix.worker.engine.output.sink;

import io.streammix.worker.engine.retry.SinkRetry;

import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.Muxer;

import io.streammix.worker.recording.RecordingPlan;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale;

/** An output's packets muxed to a URL (RTMP, SRT) or a file, as {@link OutputTarget} says. */
public class UrlSink extends OutputSink {
    /** Where the next open writes; a bypassed file output moves on to its next file when the input changes. */
    private volatile OutputTarget target;
    private Muxer.Streams streams;
    private ByteRotation rotation;

    UrlSink(OutputTarget target) {
        this.target = target;
    }

    public OutputTarget target() {
        return target;
    }

    /** Where the next open writes (the current muxer, if any, is not touched). */
    public void target(OutputTarget next) {
        target = next;
    }

    @Override
    public String safeName() {
        return target.safeName();
    }

    /** {@inheritDoc} */
    @Override
    public String kind() {
        return network() ? "push" : "file";
    }

    @Override
    public String format() {
        return target.format();
    }

    @Override
    boolean network() {
        return target.network();
    }

    @Override
    String retryUrl() {
        return target.url();
    }

    @Override
    Muxer openMuxer(Muxer.Streams streams, Interrupter interrupter, String output) throws IOException {
        OutputTarget t = target;
        if (t.file() != null && t.file().toAbsolutePath().getParent() != null) {
            Files.createDirectories(t.file().toAbsolutePath().getParent());
        }
        this.streams = streams;
        RecordingPlan plan = t.recording();
        rotation = plan != null && plan.rotateBytes() != null ? new ByteRotation(plan) : null;
        return new Muxer(t.format(), t.url(), streams, t.muxerOptions(), interrupter, SinkRetry.openTimeoutMillis(t.url(), IO_TIMEOUT_MS),
                IO_TIMEOUT_MS, output);
    }

    @Override
    void writing(Muxer muxer, int stream, AVPacket pkt, boolean video) {
        if (rotation != null) {
            var tb = streams.timeBase(stream);
            long pts = pkt.pts() == AV_NOPTS_VALUE ? Long.MIN_VALUE : av_rescale(pkt.pts(), tb.num() * 1_000_000L, tb.den());
            // The segment muxer cuts on the first video stream, or the audio when there is none.
            rotation.before(muxer, video == streams.hasVideo(), (pkt.flags() & AV_PKT_FLAG_KEY) != 0, pts, pkt.size());
        }
    }

    @Override
    void written(Muxer muxer) {
        if (rotation != null) {
            rotation.after(muxer);
        }
    }

    @Override
    public List<String> files() {
        OutputTarget t = target;
        return t.file() == null ? null : List.of(t.file().toString());
    }
}
