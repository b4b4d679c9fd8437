package io.streammix.worker.control;

import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.http.HttpLimits;
import io.streammix.worker.http.SlowClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit's attacks on the control API (issue 13, finding 1), against a stub engine: half-sent requests and blocked
 * engine calls must not starve the kubelet's probes; connections are capped per client; slow requests are cut off;
 * a {@code null} body is answered. On the JDK server this replaced, the first test timed out (two threads shared by
 * the probes, no header deadline) and the null body dropped the connection with no reply.
 */
class ControlServerAttackTest {
    private static final String TOKEN = StubEngineControlServer.TOKEN;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @RegisterExtension
    final StubEngineControlServer stub = new StubEngineControlServer();
    private ControlServer server;

    private void start(HttpLimits limits) throws Exception {
        server = stub.start(limits);
    }

    private HttpResponse<String> call(String method, String path, String body, Duration timeout) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(timeout)
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAnswerWhileSlowClientsAndABlockedApplyHoldTheServer() throws Exception {
        start(HttpLimits.CONTROL);
        try (SlowClients headers = SlowClients.open(server.port(), 4, SlowClients.HALF_HEADERS);
             SlowClients bodies = SlowClients.open(server.port(), 2, SlowClients.halfBody(ControlApi.SPEC, TOKEN))) {
            // Two applies that block in the engine: the JDK server's whole pool.
            for (int i = 0; i < 2; i++) {
                http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + ControlApi.SPEC))
                        .header("Authorization", "Bearer " + TOKEN)
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"generation\":2,\"spec\":{}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stub.applied() != null);
            long t0 = System.nanoTime();
            for (String probe : List.of(ControlApi.LIVE, ControlApi.READY, ControlApi.LIVE)) {
                HttpResponse<String> r = call("GET", probe, null, Duration.ofSeconds(2));
                assertThat(r.statusCode()).as(probe).isEqualTo(200);
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).as("three probes, ms").isLessThan(1500);
        }
    }

    @Test
    void halfSentRequestsAreCutOffAtTheirDeadline() throws Exception {
        start(HttpLimits.CONTROL.withTimeouts(Duration.ofMillis(500), Duration.ofMillis(800), Duration.ofSeconds(5)));
        try (SlowClients headers = SlowClients.open(server.port(), 3, SlowClients.HALF_HEADERS);
             SlowClients bodies = SlowClients.open(server.port(), 2, SlowClients.halfBody(ControlApi.SPEC, TOKEN))) {
            assertThat(headers.closedByServer(3000)).as("connections whose headers never end").isEqualTo(3);
            assertThat(bodies.closedByServer(3000)).as("PUTs whose body never comes").isEqualTo(2);
            assertThat(server.guard().timedOut()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void oneClientCannotTakeEveryConnection() throws Exception {
        start(HttpLimits.CONTROL.withConnections(6, 3));
        try (SlowClients attacker = SlowClients.open(server.port(), 5, SlowClients.HALF_HEADERS)) {
            assertThat(attacker.closedByServer(500)).as("beyond 3 per client, closed at once").isEqualTo(2);
            assertThat(server.guard().refused()).isEqualTo(2);
            assertThat(call("GET", ControlApi.LIVE, null, Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aNullBodyOrAMissingSpecIsRefusedNamingTheProblem() throws Exception {
        start(HttpLimits.CONTROL);
        HttpResponse<String> nullBody = call("PUT", ControlApi.SPEC, "null", Duration.ofSeconds(3));
        assertThat(nullBody.statusCode()).isEqualTo(400);
        assertThat(nullBody.body()).contains("null").contains("SpecSubmission");
        HttpResponse<String> noSpec = call("PUT", ControlApi.SPEC, "{\"generation\": 4}", Duration.ofSeconds(3));
        assertThat(noSpec.statusCode()).isEqualTo(400);
        assertThat(noSpec.body()).contains("spec: required");
        assertThat(stub.applied()).as("nothing reached the engine").isNull();
        HttpResponse<String> huge = call("PUT", ControlApi.SPEC, "x".repeat(ControlServer.MAX_BODY + 10), Duration.ofSeconds(5));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(call("GET", ControlApi.STATUS, null, Duration.ofSeconds(2)).statusCode()).as("still serving").isEqualTo(200);
    }
}
