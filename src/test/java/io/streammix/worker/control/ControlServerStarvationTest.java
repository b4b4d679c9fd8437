package io.streammix.worker.control;

import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.http.HttpLimits;
import io.streammix.worker.http.Probes;
import io.streammix.worker.http.Siege;
import io.streammix.worker.http.SlowClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 21, finding 4, on the control port: connections that fill the cap from many loopback addresses (so that the
 * per-address cap does not help) must not starve the kubelet's probes, which are sent as the kubelet sends them (a
 * new connection each, 2 s timeout). Before: 32 idle connections left 0 of 76 probes answered; unauthenticated PUTs
 * whose body never ends did the same. Each test prints its count (answered/sent).
 */
class ControlServerStarvationTest {
    private static final String TOKEN = StubEngineControlServer.TOKEN;
    private static final List<String> PROBES = List.of(ControlApi.LIVE, ControlApi.READY);
    private static final Duration KUBELET_TIMEOUT = Duration.ofSeconds(2);
    @RegisterExtension
    final StubEngineControlServer stub = new StubEngineControlServer();
    private ControlServer server;

    private Probes.Tally probesUnder(String attack, String prefix, String trickle) throws Exception {
        server = stub.start(HttpLimits.CONTROL);
        try (Siege siege = Siege.start(server.port(), HttpLimits.CONTROL.maxConnections(), 8, prefix, trickle)) {
            Probes.Tally t = Probes.run(server.port(), PROBES, "up", 20, Duration.ofMillis(100), KUBELET_TIMEOUT);
            System.out.printf("control port, %s x%d from 8 addresses: probes answered %s%n", attack,
                    HttpLimits.CONTROL.maxConnections(), t);
            return t;
        }
    }

    @Test
    void idleConnectionsFromManyAddressesDoNotStarveTheProbes() throws Exception {
        Probes.Tally t = probesUnder("idle connections", Siege.IDLE, null);
        assertThat(t.answered()).as("probes answered").isEqualTo(t.sent());
    }

    @Test
    void slowHeadersFromManyAddressesDoNotStarveTheProbes() throws Exception {
        Probes.Tally t = probesUnder("slow headers", Siege.SLOW_HEADERS, "a");
        assertThat(t.answered()).as("probes answered").isEqualTo(t.sent());
    }

    @Test
    void unauthenticatedPutsWhoseBodyNeverEndsDoNotStarveTheProbes() throws Exception {
        Probes.Tally t = probesUnder("unauthenticated endless PUT", Siege.endlessPut(ControlApi.SPEC), "x");
        assertThat(t.answered()).as("probes answered").isEqualTo(t.sent());
    }

    /** A 401 to a PUT whose body never ends: the rest of the body gets the header deadline, then the connection goes. */
    @Test
    void anUnauthenticatedPutWhoseBodyNeverEndsIsAnsweredThenClosed() throws Exception {
        server = stub.start(HttpLimits.CONTROL.withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(5)));
        try (SlowClients put = SlowClients.open(server.port(), 1, Siege.endlessPut(ControlApi.SPEC))) {
            assertThat(put.closedByServer(3000)).as("closed within 3 s (the idle deadline is 5 s)").isEqualTo(1);
        }
    }

    /** Making room closes a connection that waits for a request, never one whose request is being answered. */
    @Test
    void theOperatorsCallsGetThroughAndARunningCallIsNeverClosedToMakeRoom() throws Exception {
        server = stub.start(HttpLimits.CONTROL.withConnections(8, 4));
        HttpClient http = HttpClient.newBuilder().connectTimeout(KUBELET_TIMEOUT).build();
        CompletableFuture<HttpResponse<String>> put = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + ControlApi.SPEC)).header("Authorization", "Bearer " + TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"generation\":2,\"spec\":{}}")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> stub.applied() != null);
        try (Siege siege = Siege.start(server.port(), 8, 4, Siege.IDLE, null)) {
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + ControlApi.STATUS)).header("Authorization", "Bearer " + TOKEN).timeout(KUBELET_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).as("a status call under siege").isEqualTo(200);
            stub.release();
            assertThat(put.get(5, TimeUnit.SECONDS).statusCode()).as("the PUT that was running all along").isEqualTo(200);
            assertThat(server.guard().evicted()).as("waiting connections closed to make room").isPositive();
        }
    }
}
