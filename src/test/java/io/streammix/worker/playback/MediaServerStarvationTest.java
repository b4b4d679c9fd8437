package io.streammix.worker.playback;

import io.streammix.worker.http.HttpLimits;
import io.streammix.worker.http.Probes;
import io.streammix.worker.http.Siege;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, finding 4, on the media port: idle connections filling the cap from many loopback addresses (32 each, the
 * per-address cap) must not keep players from their playlist. Prints its count (answered/sent).
 */
class MediaServerStarvationTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final OnePlaylistMediaServer media = new OnePlaylistMediaServer();

    @Test
    void idleConnectionsFromManyAddressesDoNotStarveThePlayers() throws Exception {
        MediaServer server = media.start(dir, HttpLimits.MEDIA);
        int n = HttpLimits.MEDIA.maxConnections();
        try (Siege siege = Siege.start(server.port(), n, n / HttpLimits.MEDIA.maxPerClient(), Siege.IDLE, null)) {
            Probes.Tally t = Probes.run(server.port(), List.of(OnePlaylistMediaServer.PLAYLIST), OnePlaylistMediaServer.BODY, 20,
                    Duration.ofMillis(100), Duration.ofSeconds(2));
            System.out.printf("media port, idle connections x%d from %d addresses: playlists answered %s%n", n,
                    n / HttpLimits.MEDIA.maxPerClient(), t);
            assertThat(t.answered()).as("playlist requests answered").isEqualTo(t.sent());
        }
    }
}
