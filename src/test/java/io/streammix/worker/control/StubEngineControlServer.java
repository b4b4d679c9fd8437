package io.streammix.worker.control;

import io.streammix.api.validation.Violation;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.http.HttpLimits;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The control server of the attack and starvation tests ({@code @RegisterExtension}, one per test): on loopback, with
 * the bearer token {@link #TOKEN}, over a stub engine that reports Running, is ready, and holds every apply (an apply
 * that decodes a huge image, or waits on the engine's lock: its connection is busy, not idle) until {@link #release()}
 * or 10 s. Released and closed after each test.
 */
final class StubEngineControlServer implements AfterEachCallback {
    static final String TOKEN = "t0ken";
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<SpecSubmission> applied = new AtomicReference<>();
    private ControlServer server;

    private final ControlServer.Backend engine = new ControlServer.Backend() {
        @Override
        public WorkerReport report() {
            return new WorkerReport(WorkerReport.RUNNING, null, 0, 1, null, List.of(), List.of(), null, null);
        }

        @Override
        public List<Violation> apply(SpecSubmission submission) {
            applied.set(submission);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }

        @Override
        public boolean ready() {
            return true;
        }
    };

    ControlServer start(HttpLimits limits) throws IOException {
        server = new ControlServer("127.0.0.1", 0, new BearerAuth(TOKEN), engine, limits);
        return server;
    }

    /** The submission the engine was last asked to apply; null while none reached it. */
    SpecSubmission applied() {
        return applied.get();
    }

    /** Lets the applies held in the engine return. */
    void release() {
        release.countDown();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        release();
        if (server != null) {
            server.close();
        }
    }
}
