package io.streammix.worker.playback;

import io.streammix.worker.http.HttpLimits;
import io.streammix.worker.http.SlowClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The media port against slow clients (issue 13, finding 1): the JDK server it replaced gave every connection a thread
 * of an unbounded pool for as long as the client took to send its request. Now a slow client holds a connection slot
 * until its header deadline, capped per client address, and players keep being served.
 */
class MediaServerAttackTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final OnePlaylistMediaServer media = new OnePlaylistMediaServer();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void slowClientsAreCappedAndCutOffWhilePlaylistsAreServed() throws Exception {
        MediaServer server = media.start(dir,
                HttpLimits.MEDIA.withConnections(64, 16).withTimeouts(Duration.ofMillis(700), Duration.ofSeconds(2), Duration.ofSeconds(5)));
        int threadsBefore = Thread.activeCount();
        try (SlowClients attacker = SlowClients.open(server.port(), 40, "GET " + OnePlaylistMediaServer.PLAYLIST + " HTTP/1.1\r\nHost: w\r\n")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + OnePlaylistMediaServer.PLAYLIST)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith(OnePlaylistMediaServer.BODY);
            assertThat(Thread.activeCount() - threadsBefore).as("threads held by 40 slow clients").isLessThan(5);
            assertThat(server.guard().refused()).as("beyond 16 per client").isEqualTo(24);
            assertThat(attacker.closedByServer(2500)).as("every slow client is gone after its deadline").isEqualTo(40);
        }
    }
}
