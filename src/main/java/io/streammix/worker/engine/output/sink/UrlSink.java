package io.streammix.worker.engine.output.sink;

import io.streammix.worker.engine.output.OutputTarget;
import io.streammix.worker.media.Encoder;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.Muxer;

import io.streammix.worker.recording.RecordingPlan;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale;

/** An output's packets muxed to a URL (RTMP, SRT) or a file, as {@link OutputTarget} says. */
public class UrlSink extends OutputSink {
    public final OutputTarget target;
    private List<Encoder> encoders;
    private boolean hasVideo;
    private ByteRotation rotation;

    UrlSink(OutputTarget target) {
        this.target = target;
    }

    @Override
    public String safeName() {
        return target.safeName();
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
    Muxer openMuxer(List<Encoder> encoders, Interrupter interrupter, String output) throws IOException {
        if (target.file() != null && target.file().toAbsolutePath().getParent() != null) {
            Files.createDirectories(target.file().toAbsolutePath().getParent());
        }
        this.encoders = encoders;
        hasVideo = encoders.stream().anyMatch(e -> e.context().codec_type() == AVMEDIA_TYPE_VIDEO);
        RecordingPlan plan = target.recording();
        rotation = plan != null && plan.rotateBytes() != null ? new ByteRotation(plan) : null;
        return new Muxer(target.format(), target.url(), encoders, target.muxerOptions(), interrupter, IO_TIMEOUT_MS, output);
    }

    @Override
    void writing(Muxer muxer, int stream, AVPacket pkt, boolean video) {
        if (rotation != null) {
            var tb = encoders.get(stream).timeBase();
            long pts = pkt.pts() == AV_NOPTS_VALUE ? Long.MIN_VALUE : av_rescale(pkt.pts(), tb.num() * 1_000_000L, tb.den());
            // The segment muxer cuts on the first video stream, or the audio when there is none.
            rotation.before(muxer, video == hasVideo, (pkt.flags() & AV_PKT_FLAG_KEY) != 0, pts, pkt.size());
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
        return target.file() == null ? null : List.of(target.file().toString());
    }
}
