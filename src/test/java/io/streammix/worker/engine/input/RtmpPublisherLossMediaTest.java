package io.streammix.worker.engine.input;

import io.streammix.api.v1alpha1.LossDisplay;
import io.streammix.api.v1alpha1.LossPolicy;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.MediaTools;
import io.streammix.worker.NginxRtmp;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.engine.MixEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A publisher pushing to nginx (the RTMP server of a live show) dies and comes back while nginx and the mixer's play
 * connection stay up: the input's rect holds the last picture for onLoss.holdLastFrameMillis, then shows the
 * placeholder, its tone is gone, and its picture is back soon after the publisher returns. The policy is then edited
 * live (hold 300 ms, then the background) and a second death shows the new policy.
 */
class RtmpPublisherLossMediaTest {
    @TempDir
    Path dir;

    @Test
    void aDeadPublisherIsHeldThenReplacedAndPickedUpAgain() throws Exception {
        NginxRtmp.assumeInstalled();
        try (NginxRtmp nginx = NginxRtmp.started(dir.resolve("nginx"))) {
            String url = nginx.url("cam");
            Process[] publisher = new Process[1];
            LossScenario.Peer peer = new LossScenario.Peer() {
                @Override
                public void start() throws Exception {
                    publisher[0] = LossScenario.publish(dir.resolve("pub-" + System.nanoTime() + ".log"), "-f", "flv", url);
                }

                @Override
                public void stop() throws Exception {
                    publisher[0].destroyForcibly().waitFor(); // dies: no unpublish of its own, the TCP connection just closes
                }
            };
            peer.start();
            Path rec = dir.resolve("mix.mkv");
            Path png = LossScenario.greenPlaceholder(dir);
            MixTaskSpec spec = LossScenario.spec(url, new LossPolicy(1000, LossDisplay.Image, png.toString()), rec);
            MixEngine engine = LossScenario.start(spec, dir);
            LossScenario.Loss first;
            LossScenario.Loss second;
            try {
                first = LossScenario.lose(engine, peer, 3.0, Duration.ofSeconds(3));
                LossScenario.checkStatus(first, url);

                MixTaskSpec edited = MediaTools.copy(spec);
                edited.inputs.get(0).onLoss = new LossPolicy(300, LossDisplay.Background, null);
                assertThat(engine.apply(new SpecSubmission(2, edited))).isEmpty();
                second = LossScenario.lose(engine, peer, 2.5, Duration.ofSeconds(3));
            } finally {
                engine.close();
                if (publisher[0] != null) {
                    publisher[0].destroyForcibly();
                }
            }

            List<LossScenario.Frame> frames = LossScenario.frames(rec);
            System.out.printf("RTMP/nginx: first loss found %d ms after the publisher died (%s), second %d ms (%s)%n",
                    first.detectionMillis(), first.reason(), second.detectionMillis(), second.reason());
            LossScenario.Outcome a = LossScenario.check(frames, first, LossScenario.GREEN);
            report("hold 1000 ms then placeholder", first, a);
            LossScenario.Outcome b = LossScenario.check(frames, second, LossScenario.BLUE);
            report("hold 300 ms then background (edited live)", second, b);
            // The hold counts from the last real picture: ±2 frames at 25 fps when the loss is found at once (nginx tells
            // the player the stream ended), which the detection time below says it was.
            assertThat(first.detectionMillis()).as("loss found from nginx's unpublish, not the read timeout").isLessThan(1000);
            assertThat(a.heldSeconds()).as("last picture held").isBetween(1.0 - 0.08, 1.0 + 0.08);
            assertThat(b.heldSeconds()).as("last picture held after the live edit").isBetween(0.3 - 0.08, 0.3 + 0.08);
            LossScenario.checkTone(rec, a, first);
            LossScenario.checkTone(rec, b, second);
            double back = frames.get(a.firstBack()).time() - first.backAt();
            assertThat(back).as("picture back after the publisher's return").isLessThan(3.0);
        }
    }

    static void report(String what, LossScenario.Loss l, LossScenario.Outcome o) {
        System.out.printf("RTMP/nginx %s: loss found %d ms after the publisher died (reason: %s); last picture held %.3f s;"
                        + " picture back %.3f s after the publisher restarted (%d attempts while away, next attempt %s)%n",
                what, l.detectionMillis(), l.reason(), o.heldSeconds(), o.frames().get(o.firstBack()).time() - l.backAt(),
                l.attempts(), l.nextAttemptAt());
    }
}
