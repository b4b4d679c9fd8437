package io.streammix.worker;

import io.streammix.api.v1alpha1.AudioEncoding;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.engine.MixEngine;
import io.streammix.worker.playback.FlvBroadcaster;
import io.streammix.worker.playback.LiveStreams;
import io.streammix.worker.playback.MediaServer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Live input streams on loopback, for tests of tasks whose inputs are streams, without a media server: each feed is
 * an engine of its own (a synthetic picture of one colour and/or a tone, encoded H.264/AAC as a camera or a microphone
 * would send it), all published on one media port. So every feed plays at {@code http://127.0.0.1:<port>/live/<key>.flv}
 * (HTTP-FLV, as a media server's play port gives it: any number of clients, a late one starts on a keyframe; no
 * listen-once server to restart), and {@link #inputUrlTemplate()} is the operator's input URL template for them.
 */
public final class LoopbackFeeds implements AutoCloseable {
    private final Path dir;
    private final LiveStreams streams = new LiveStreams();
    private final MediaServer server;
    private final List<MixEngine> engines = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    /** @param dir scratch space for the feeds' HLS files (the media port serves HLS too) */
    public LoopbackFeeds(Path dir) throws IOException {
        EngineRun.prepare();
        this.dir = dir;
        server = new MediaServer("127.0.0.1", 0, streams);
    }

    /** A camera: a 320x180 (16:9) picture of one colour at {@code fps}, with a mono tone of {@code toneHz}. */
    public String camera(String key, int rgb, int toneHz, int fps) {
        MixOutput out = feedOutput(key, 1);
        out.video = new VideoEncoding();
        out.video.width = 320;
        out.video.height = 180;
        out.video.fps = fps;
        out.video.bitrate = 300_000;
        return start(key, String.format("synthetic:color?color=%%23%06X&size=320x180&fps=%d&tone=%d", rgb, fps, toneHz), out);
    }

    /** A microphone: a mono tone of {@code toneHz}, no video track at all. */
    public String microphone(String key, int toneHz) {
        return start(key, "synthetic:sine?frequency=" + toneHz, feedOutput(key, 1));
    }

    /** Where feed {@code key} plays (HTTP-FLV). */
    public String url(String key) {
        return "http://127.0.0.1:" + server.port() + MediaServer.PREFIX + key + ".flv";
    }

    /** The operator's {@code mixtask.media.input-url-template} for these feeds. */
    public String inputUrlTemplate() {
        return url("{streamId}");
    }

    /** Waits until every feed plays (its stream headers are out), so a task pulling them starts with them live. */
    public void awaitLive() {
        await().atMost(Duration.ofSeconds(20)).until(() -> keys.stream().allMatch(k -> {
            FlvBroadcaster b = streams.flv(k);
            return b != null && b.ready();
        }));
    }

    @Override
    public void close() {
        engines.forEach(MixEngine::close);
        server.close();
    }

    private String start(String key, String url, MixOutput out) {
        var in = MediaTools.input(key, url, 0, 0, out.video == null ? 1 : out.video.width, out.video == null ? 1 : out.video.height, 0);
        MixEngine.Config config = new MixEngine.Config(dir, null, dir.resolve("feed-hls"), streams);
        engines.add(MixEngine.start(new SpecSubmission(1, MediaTools.spec(List.of(in), List.of(out))), config));
        keys.add(key);
        return url(key);
    }

    private static MixOutput feedOutput(String key, int channels) {
        MixOutput o = new MixOutput();
        o.streamId = key;
        o.audio = new AudioEncoding();
        o.audio.bitrate = 96_000;
        o.audio.channels = channels;
        return o;
    }
}
