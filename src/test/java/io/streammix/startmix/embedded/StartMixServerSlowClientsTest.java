package io.streammix.startmix.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.startmix.StartMixApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, finding 4 (the embedded start-mix server): slow clients from several loopback addresses (bodies that never
 * end, headers that never end) hold no thread, so a real request is still answered at once. The JDK {@code HttpServer}
 * this server ran on before read each body on one of 8 pool threads: 8 such clients stopped it answering.
 */
class StartMixServerSlowClientsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "slow-clients-test-token-0123456789";

    @RegisterExtension
    static final EmbeddedStartMixServer EMBEDDED = new EmbeddedStartMixServer(TOKEN, null);

    @Test
    void slowClientsFromSeveralAddressesDoNotStopTheServerAnswering() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int a = 2; a <= 5; a++) {
                InetAddress from = InetAddress.getByName("127.0.0." + a);
                for (int i = 0; i < 6; i++) {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(from, 0));
                    s.connect(new InetSocketAddress("127.0.0.1", EMBEDDED.server().port()), 2000);
                    OutputStream out = s.getOutputStream();
                    if (i % 3 == 2) {
                        out.write("POST /cgi/start-mix HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)); // headers never end
                    } else {
                        out.write(("POST /cgi/start-mix?access_token=" + TOKEN + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{\"task_id\":")
                                .getBytes(StandardCharsets.US_ASCII)); // a body that never ends
                    }
                    out.flush();
                    slow.add(s);
                }
            }
            Thread.sleep(500); // every slow request is in the server before the real one

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EMBEDDED.server().port()
                                + "/cgi/stop-mix?access_token=" + TOKEN)).POST(HttpRequest.BodyPublishers.ofString("{\"task_id\":\"none\"}"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode reply = JSON.readTree(r.body());
                System.out.printf("with %d slow clients from 4 addresses: %s%n", slow.size(), reply);
                assertThat(reply.path("code").asInt()).isEqualTo(StartMixApi.NOT_FOUND);
            }
        } finally {
            for (Socket s : slow) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }
}
