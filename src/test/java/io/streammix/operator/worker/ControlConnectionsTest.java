package io.streammix.operator.worker;

import com.sun.net.httpserver.HttpServer;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's idle connections to its workers, counted: 100 workers (one loopback address each, 127.0.0.2 to
 * 127.0.0.101, one server on all of them) each called once by {@link WorkerClient} in a JVM of its own (the JDK reads
 * its pool's bounds once per JVM), then the TCP connections still open to them. With {@link ControlConnections#bound()} they
 * are {@link ControlConnections#MAX_IDLE} at most; without it (the JDK's defaults, as before) one per worker.
 */
class ControlConnectionsTest {
    static final int WORKERS = 100;

    @Test
    void idleConnectionsToWorkersAreBoundedNotOnePerWorker() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(0), 0); // every local address
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(503, -1); // answered, no body: the connection goes back to the pool
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            assertThat(connectionsLeftAfterCallingEachWorker(port, true)).isBetween(1, ControlConnections.MAX_IDLE);
            assertThat(connectionsLeftAfterCallingEachWorker(port, false)).as("the JDK's defaults").isEqualTo(WORKERS);
        } finally {
            server.stop(0);
        }
    }

    private static int connectionsLeftAfterCallingEachWorker(int port, boolean bounded) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Child.class.getName(), Integer.toString(port), Boolean.toString(bounded))
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        return Integer.parseInt(out.lines().filter(l -> l.startsWith("CONNECTIONS ")).findFirst().orElseThrow(() -> new AssertionError(out))
                .substring("CONNECTIONS ".length()));
    }

    /** Calls each worker's status once, as a refresh does, then prints the connections this JVM keeps to them. */
    public static final class Child {
        public static void main(String[] args) throws IOException, InterruptedException {
            int port = Integer.parseInt(args[0]);
            if (Boolean.parseBoolean(args[1])) {
                ControlConnections.bound();
            }
            WorkerClient client = new WorkerClient(OperatorHarness.config(Map.of(
                    "mixtask.worker.control-url-template", "http://{podIP}:" + port + "/{namespace}/{task}")));
            for (int i = 0; i < WORKERS; i++) {
                try {
                    client.status(Tasks.mixTask("ns", "t" + i), "127.0.0." + (i + 2), "token");
                    throw new AssertionError("the server answers 503");
                } catch (WorkerUnreachableException expected) {
                    // answered: what counts is the connection left behind
                }
            }
            Thread.sleep(1000); // the pool closes what it evicts on its selector thread: let that run, in both cases
            System.out.println("CONNECTIONS " + establishedTo(port));
        }

        /**
         * TCP connections open to {@code port} (the kernel's table; the server is the only listener on it, so these are
         * the client's ends). Not the process's socket descriptors: a connection the pool closed may keep its descriptor
         * a moment longer, pointing at the JDK's pre-closed socket.
         */
        private static long establishedTo(int port) throws IOException {
            String remotePort = String.format(":%04X", port);
            long open = 0;
            for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) { // a JDK socket may be IPv6, mapped
                open += Files.readAllLines(Path.of(table)).stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
                        .filter(f -> f[2].endsWith(remotePort) && f[3].equals("01")) // rem_address, st: 01 = ESTABLISHED
                        .count();
            }
            return open;
        }
    }
}
