package io.streammix.worker.engine.output.sink;


import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.Muxer;
import io.streammix.worker.playback.LiveStreams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;

/**
 * An output published as HLS on the worker's media port: FFmpeg's hls muxer writes a rolling playlist and its
 * segments into the output's own scratch directory ({@code $MIXTASK_SCRATCH_DIR/hls/<key>/}); the media server
 * serves that directory while the output runs. The directory is emptied first, so a restarted output never lists
 * segments of its previous encoders. Segments are MPEG-TS, or fragmented MP4 when a stream is H.265 or Opus (decided
 * at each open, from the streams: a bypassed input may change codecs).
 */
final class HlsSink extends UrlSink {
    private final String key;
    private final Path dir;
    private final LiveStreams streams;

    HlsSink(String key, Path dir, LiveStreams streams) {
        super(OutputTarget.hls(dir.resolve("index.m3u8"), false, "HLS /live/" + key + "/index.m3u8"));
        this.key = key;
        this.dir = dir;
        this.streams = streams;
    }

    /** {@inheritDoc} */
    @Override
    public String kind() {
        return "hls";
    }

    @Override
    Muxer openMuxer(Muxer.Streams encoded, Interrupter interrupter, String output) throws IOException {
        boolean fmp4 = encoded.has(AV_CODEC_ID_HEVC) || encoded.has(AV_CODEC_ID_OPUS);
        target(OutputTarget.hls(dir.resolve("index.m3u8"), fmp4, safeName()));
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
        Muxer m = super.openMuxer(encoded, interrupter, output);
        streams.publishHls(key, dir);
        return m;
    }

    /**
     * Unpublished, and its playlist and segments removed: a rolling window that nobody can play any more (a stopped
     * task's, or a failed encoder's that the next open would empty anyway) is not left on disk. Recordings are other
     * sinks and stay.
     */
    @Override
    void closed() {
        streams.unpublishHls(key, dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Gone already, or not ours to remove: the next open of this output empties it.
        }
    }

    @Override
    public List<String> files() {
        return null; // a rolling window, not a recording
    }
}
