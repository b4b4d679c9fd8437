package io.streammix.operator.worker;

import com.sun.net.httpserver.HttpServer;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerClientTest {
    HttpServer server;
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * An operator that stops interrupts its reconcile threads: the call must not come back as "worker unreachable",
     * which would be written to status as a running task turned Starting.
     */
    @Test
    void anInterruptedCallAbandonsTheReconcileInsteadOfReportingTheWorkerUnreachable() throws Exception {
        CountDownLatch called = new CountDownLatch(1);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            called.countDown();
            try {
                release.await(10, TimeUnit.SECONDS); // a worker that takes its time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        WorkerClient client = new WorkerClient(OperatorHarness.config(Map.of(
                "mixtask.worker.control-url-template", "http://127.0.0.1:" + server.getAddress().getPort() + "/{namespace}/{task}",
                "mixtask.worker.control-timeout", "20s")));

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread reconcile = new Thread(() -> {
            try {
                client.status(Tasks.mixTask("ns", "a"), "token");
            } catch (Throwable t) {
                thrown.set(t);
            }
            stillInterrupted.complete(Thread.currentThread().isInterrupted());
        });
        reconcile.start();
        assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
        reconcile.interrupt();

        assertThat(stillInterrupted.get(10, TimeUnit.SECONDS)).as("the interrupt flag is kept for the executor").isTrue();
        assertThat(thrown.get()).isInstanceOf(ReconcileInterruptedException.class);
    }

    @Test
    void aWorkerThatAnswersAnErrorIsUnreachableWithTheStatusCodeOnly() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        WorkerClient client = new WorkerClient(OperatorHarness.config(Map.of(
                "mixtask.worker.control-url-template", "http://127.0.0.1:" + server.getAddress().getPort() + "/{namespace}/{task}")));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try {
            client.status(Tasks.mixTask("ns", "a"), "token");
        } catch (WorkerUnreachableException e) {
            thrown.set(e);
        }
        assertThat(thrown.get()).hasMessage("worker control API answered HTTP 503");
    }
}
