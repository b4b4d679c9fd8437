package io.streammix.startmix.embedded;

import io.streammix.startmix.StartMixTokens;
import io.streammix.worker.NativeSetup;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The embedded start-mix server of a test class ({@code @RegisterExtension static final}): started before the class's
 * tests on free loopback ports with a directory of its own and one token bound to the namespace {@code default}, the
 * mixes a test left running stopped after each test (so none plays into the next), the server stopped and its
 * directory removed after the class.
 */
final class EmbeddedStartMixServer implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final String token;
    private final String inputUrlTemplate;
    private Path dir;
    private StartMixServer server;

    /** @param inputUrlTemplate where inputs by stream id are pulled from; null: the server's default */
    EmbeddedStartMixServer(String token, String inputUrlTemplate) {
        this.token = token;
        this.inputUrlTemplate = inputUrlTemplate;
    }

    StartMixServer server() {
        return server;
    }

    /** The server's directory (its HLS segments, files). */
    Path dir() {
        return dir;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        NativeSetup.prepare(System.getenv());
        dir = Files.createTempDirectory("start-mix-");
        server = StartMixServer.start(new StartMixServer.Options("127.0.0.1", 0, 0, dir, inputUrlTemplate,
                Map.of(token, new StartMixTokens.Binding("default", null, "test"))));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (String key : server.store().running()) {
            String[] nsName = key.split("/");
            server.store().delete(nsName[0], nsName[1]);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
