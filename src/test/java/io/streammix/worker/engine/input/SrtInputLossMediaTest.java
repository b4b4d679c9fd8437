package io.streammix.worker.engine.input;

import io.streammix.api.v1alpha1.LossDisplay;
import io.streammix.api.v1alpha1.LossPolicy;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/**
 * SRT inputs against the bundled ffmpeg (built with libsrt) in both roles: the worker calling an ffmpeg listener, and
 * the worker listening for an ffmpeg caller. The ffmpeg peer is killed (no SRT shutdown: the read deadline finds the
 * loss) and started again.
 */
class SrtInputLossMediaTest {
    @TempDir
    Path dir;

    @Test
    void theWorkerCallsAListenerThatDiesAndReturns() throws Exception {
        int port = MediaTools.freePort();
        LossScenario.run("SRT worker calls", dir, "srt://127.0.0.1:" + port, ffmpeg("srt://127.0.0.1:" + port + "?mode=listener"),
                new LossPolicy(500, LossDisplay.Image, LossScenario.greenPlaceholder(dir).toString()), LossScenario.GREEN, true, true,
                3.0, Duration.ofSeconds(4));
    }

    @Test
    void theWorkerListensForACallerThatDiesAndReturns() throws Exception {
        int port = MediaTools.freePort();
        LossScenario.run("SRT worker listens", dir, "srt://127.0.0.1:" + port + "?mode=listener", ffmpeg("srt://127.0.0.1:" + port),
                new LossPolicy(0, LossDisplay.Background, null), LossScenario.BLUE, true, false, 3.0, Duration.ofSeconds(4));
    }

    /** An ffmpeg peer sending MPEG-TS over SRT to {@code url}; stop() kills it. */
    private LossScenario.Peer ffmpeg(String url) {
        return new LossScenario.Peer() {
            Process p;

            @Override
            public void start() throws Exception {
                p = LossScenario.publish(dir.resolve("srt-" + System.nanoTime() + ".log"), "-f", "mpegts", url);
            }

            @Override
            public void stop() throws Exception {
                if (p != null) {
                    p.destroyForcibly().waitFor();
                }
            }
        };
    }
}
