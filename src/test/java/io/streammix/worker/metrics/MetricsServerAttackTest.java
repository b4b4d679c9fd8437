package io.streammix.worker.metrics;

import io.streammix.worker.engine.status.InputFigures;
import io.streammix.worker.engine.status.MixFigures;
import io.streammix.worker.http.Probes;
import io.streammix.worker.http.Siege;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, finding 4, on the metrics port: on the JDK server with one thread, one connection that sent half its
 * headers stopped every scrape (0 of 12 answered here). Slow-header and idle connections from several loopback
 * addresses must leave the scrapes answered, and the exposition is the registry's text. Prints its count (answered/sent).
 */
class MetricsServerAttackTest {
    private static final MixFigures FIGURES = new MixFigures(10, 150, 0, 0.5,
            List.of(new InputFigures("cam1", "Live", 100, 0, 0.05, 0, 0, 0, 40)), List.of());
    private final WorkerMetrics metrics = new WorkerMetrics("media", "show", () -> FIGURES);
    private MetricsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Probes.Tally scrapesUnder(String attack, String prefix, String trickle) throws Exception {
        server = new MetricsServer("127.0.0.1", 0, metrics);
        try (Siege siege = Siege.start(server.port(), 16, 4, prefix, trickle)) {
            Probes.Tally t = Probes.run(server.port(), List.of(MetricsServer.PATH), "mixtask_input_frames_total", 12,
                    Duration.ofMillis(100), Duration.ofSeconds(2));
            System.out.printf("metrics port, %s x16 from 4 addresses: scrapes answered %s%n", attack, t);
            return t;
        }
    }

    @Test
    void slowHeadersFromManyAddressesDoNotStopTheScrapes() throws Exception {
        Probes.Tally t = scrapesUnder("slow headers", Siege.SLOW_HEADERS, "a");
        assertThat(t.answered()).as("scrapes answered").isEqualTo(t.sent());
    }

    @Test
    void idleConnectionsFromManyAddressesDoNotStopTheScrapes() throws Exception {
        Probes.Tally t = scrapesUnder("idle connections", Siege.IDLE, null);
        assertThat(t.answered()).as("scrapes answered").isEqualTo(t.sent());
    }

    private static List<String> lines(String exposition, String start) {
        return exposition.lines().filter(l -> l.startsWith(start) && !l.startsWith("mixtask_mix_cpu_seconds")).sorted().toList();
    }

    @Test
    void theExpositionIsTheRegistrysTextWithItsContentType() throws Exception {
        server = new MetricsServer("127.0.0.1", 0, metrics);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + MetricsServer.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        // The JVM's gauges and the process's CPU time move between two scrapes: the task's other lines and the list of
        // families must match.
        String direct = metrics.scrape();
        assertThat(lines(r.body(), "mixtask_")).isNotEmpty().isEqualTo(lines(direct, "mixtask_"));
        assertThat(lines(r.body(), "# TYPE ")).isEqualTo(lines(direct, "# TYPE "));
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/other")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + MetricsServer.PATH))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }
}
