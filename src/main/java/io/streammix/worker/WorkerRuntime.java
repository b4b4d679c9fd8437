package io.streammix.worker;

import io.streammix.api.validation.Violation;
import io.streammix.worker.control.BearerAuth;
import io.streammix.worker.control.ControlServer;
import io.streammix.worker.control.SpecSubmission;
import io.streammix.worker.control.WorkerReport;
import io.streammix.worker.engine.MixEngine;

import java.io.IOException;
import java.util.List;

/** A running engine and its control API, stopped together (outputs flushed) by {@link #close()}. */
public final class WorkerRuntime implements AutoCloseable {
    private final MixEngine engine;
    private final ControlServer server;

    private WorkerRuntime(MixEngine engine, ControlServer server) {
        this.engine = engine;
        this.server = server;
    }

    public static WorkerRuntime start(SpecSubmission submission, MixEngine.Config config, String host, int port, String token)
            throws IOException {
        MixEngine engine = MixEngine.start(submission, config);
        try {
            ControlServer server = new ControlServer(host, port, new BearerAuth(token), new ControlServer.Backend() {
                @Override
                public WorkerReport report() {
                    return engine.report();
                }

                @Override
                public List<Violation> apply(SpecSubmission s) {
                    return engine.apply(s);
                }

                @Override
                public String metrics() {
                    return engine.metrics();
                }

                @Override
                public boolean ready() {
                    return !WorkerReport.FAILED.equals(engine.report().state());
                }
            });
            return new WorkerRuntime(engine, server);
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    public MixEngine engine() {
        return engine;
    }

    public int controlPort() {
        return server.port();
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            server.close();
        }
    }
}
