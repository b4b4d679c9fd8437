package io.streammix.worker.engine.output.sink;

import io.streammix.worker.engine.output.OutputTarget;
import io.streammix.worker.media.Encoder;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.Muxer;
import io.streammix.worker.playback.LiveStreams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * An output published as HLS on the worker's media port: FFmpeg's hls muxer writes a rolling playlist and its
 * segments into the output's own scratch directory ({@code $MIXTASK_SCRATCH_DIR/hls/<key>/}); the media server
 * serves that directory while the output runs. The directory is emptied first, so a restarted output never lists
 * segments of its previous encoders.
 */
final class HlsSink extends UrlSink {
    private final String key;
    private final Path dir;
    private final LiveStreams streams;

    HlsSink(String key, Path dir, boolean fmp4, LiveStreams streams) {
        super(OutputTarget.hls(dir.resolve("index.m3u8"), fmp4, "HLS /live/" + key + "/index.m3u8"));
        this.key = key;
        this.dir = dir;
        this.streams = streams;
    }

    @Override
    Muxer openMuxer(List<Encoder> encoders, Interrupter interrupter, String output) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            old.forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Muxer m = super.openMuxer(encoders, interrupter, output);
        streams.publishHls(key, dir);
        return m;
    }

    @Override
    void closed() {
        streams.unpublishHls(key, dir);
    }

    @Override
    public List<String> files() {
        return null; // a rolling window, not a recording
    }
}
