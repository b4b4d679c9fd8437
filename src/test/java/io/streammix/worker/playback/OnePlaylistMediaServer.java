package io.streammix.worker.playback;

import io.streammix.worker.http.HttpLimits;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The media server of the attack and starvation tests ({@code @RegisterExtension}, one per test): on loopback, serving
 * one HLS playlist at {@link #PLAYLIST} whose body starts with {@link #BODY}, what players keep asking for while the
 * test attacks the port. Closed after each test.
 */
final class OnePlaylistMediaServer implements AfterEachCallback {
    static final String PLAYLIST = "/live/show/index.m3u8";
    static final String BODY = "#EXTM3U";
    private MediaServer server;

    /** Writes the playlist under {@code dir} and starts the server with {@code limits}. */
    MediaServer start(Path dir, HttpLimits limits) throws IOException {
        LiveStreams streams = new LiveStreams();
        Path hls = Files.createDirectories(dir.resolve("show"));
        Files.writeString(hls.resolve("index.m3u8"), BODY + "\n");
        streams.publishHls("show", hls);
        server = new MediaServer("127.0.0.1", 0, streams, limits);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }
}
