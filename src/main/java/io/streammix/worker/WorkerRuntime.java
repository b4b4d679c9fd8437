package io.streammix.worker;

import io.streammix.api.validation.Violation;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.control.BearerAuth;
import io.streammix.worker.control.ControlServer;
import io.streammix.worker.engine.MixEngine;
import io.streammix.worker.playback.MediaServer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.List;

/**
 * A running engine, its control API and its media port (HLS and HTTP-FLV playback of the outputs published by the
 * worker), stopped together (outputs flushed) by {@link #close()}.
 */
public final class WorkerRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WorkerRuntime.class);
    private final MixEngine engine;
    private final ControlServer server;
    private final MediaServer media;

    private WorkerRuntime(MixEngine engine, ControlServer server, MediaServer media) {
        this.engine = engine;
        this.server = server;
        this.media = media;
    }

    /** With the media port on any free port. */
    public static WorkerRuntime start(SpecSubmission submission, MixEngine.Config config, String host, int port, String token)
            throws IOException {
        return start(submission, config, host, port, 0, token);
    }

    /**
     * @param mediaPort the media port (0: any free one). When it cannot be bound the mix still runs (outputs with
     *                  URLs work) and the failure is logged: playback is not worth losing the mix for.
     */
    public static WorkerRuntime start(SpecSubmission submission, MixEngine.Config config, String host, int port, int mediaPort,
                                      String token) throws IOException {
        MixEngine engine = MixEngine.start(submission, config);
        MediaServer media = null;
        try {
            media = new MediaServer(host, mediaPort, config.streams());
        } catch (IOException e) {
            LOG.errorf("media port %d: %s; HLS and HTTP-FLV playback is off", mediaPort, e.getMessage());
        }
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
                public boolean ready() {
                    return !WorkerReport.FAILED.equals(engine.report().state());
                }
            });
            return new WorkerRuntime(engine, server, media);
        } catch (IOException | RuntimeException e) {
            engine.close();
            if (media != null) {
                media.close();
            }
            throw e;
        }
    }

    public MixEngine engine() {
        return engine;
    }

    public int controlPort() {
        return server.port();
    }

    /** The media port, or -1 when it could not be bound. */
    public int mediaPort() {
        return media == null ? -1 : media.port();
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            server.close();
            if (media != null) {
                media.close();
            }
        }
    }
}
