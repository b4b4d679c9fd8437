package io.streammix.worker.engine.output.sink;

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.playback.LiveStreams;

import java.nio.file.Path;
import java.util.List;

/**
 * The sinks of one output. Every output is published by the worker on its media port under its key (the streamId,
 * else its name), as the operator's default play URLs say: HTTP-FLV at {@code /live/<key>.flv} and HLS at
 * {@code /live/<key>/index.m3u8}, from the same encoders. An output with a URL also writes there (RTMP/RTMPS/SRT
 * push, a file, or an HLS playlist on a volume); for it the media-port sinks are extras whose failure never fails
 * the output. An output without one (given by streamId, no media server configured) is played from the port only.
 */
public final class OutputSinks {
    private OutputSinks() {
    }

    /** The media-port key of an output: its streamId, else its name. */
    static String key(MixOutput out, int index) {
        return out.streamId != null ? out.streamId : out.displayName(index);
    }

    /** @throws IllegalArgumentException when the URL is not one the worker can write to */
    public static List<OutputSink> of(MixOutput out, int index, Path outputDir, Path hlsRoot, LiveStreams streams,
                               SpecSubmission.S3Credentials credentials) {
        String key = key(out, index);
        OutputSink flv = new FlvLiveSink(key, streams);
        OutputSink hls = new HlsSink(key, hlsRoot.resolve(LiveStreams.dirName(key)), streams);
        if (out.url == null) {
            return List.of(flv, hls);
        }
        return List.of(new UrlSink(OutputTarget.of(out, index, outputDir, credentials)), flv.optional(), hls.optional());
    }

    /** The first sink's problem, with its safe name ("push: write failed ... (next attempt in 0.25 s)"), or null. */
    public static String problem(List<OutputSink> sinks) {
        for (OutputSink sink : sinks) {
            if (sink.problem() != null) {
                return sink.safeName() + ": " + sink.problem();
            }
        }
        return null;
    }

    /** The sinks' names safe for logs (no stream keys). */
    public static String safeNames(List<OutputSink> sinks) {
        return String.join(", ", sinks.stream().map(OutputSink::safeName).toList());
    }
}
