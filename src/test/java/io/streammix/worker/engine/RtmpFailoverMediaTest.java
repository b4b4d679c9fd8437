package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An RTMP input served by the bundled ffmpeg ({@code -listen 1}) and the mix pushed over RTMP to another
 * ffmpeg that records it. The input's server is killed mid-run and started again: the mix goes on, the rect
 * shows the background meanwhile, and the input comes back by itself.
 */
class RtmpFailoverMediaTest {
    @TempDir
    Path dir;

    private Process serveRed(int port) throws Exception {
        return MediaTools.start(dir.resolve("src-" + System.nanoTime() + ".log"), "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "color=c=red:size=320x240:rate=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-c:a", "aac",
                "-f", "flv", "-listen", "1", "rtmp://127.0.0.1:" + port + "/live/red");
    }

    @Test
    void rtmpInputLostAndBackWhileTheRtmpOutputGoesOn() throws Exception {
        int inPort = MediaTools.freePort();
        int outPort = MediaTools.freePort();
        Path recorded = dir.resolve("recorded.flv");
        Process receiver = MediaTools.start(dir.resolve("receiver.log"), "-loglevel", "error", "-listen", "1",
                "-i", "rtmp://127.0.0.1:" + outPort + "/live/mix", "-c", "copy", "-y", recorded.toString());
        Process source = serveRed(inPort);
        Thread.sleep(500);

        MixOutput out = MediaTools.fileOutput("push", dir.resolve("unused"), 320, 240, 15);
        out.url = "rtmp://127.0.0.1:" + outPort + "/live/mix";
        MixTaskSpec spec = MediaTools.spec(List.of(input("cam", "rtmp://127.0.0.1:" + inPort + "/live/red", 0, 0, 320, 240, 0)),
                List.of(out));
        spec.background = new Background("#0000FF", null);
        var engine = EngineRun.start(spec, dir);
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> state(engine).equals(WorkerReport.Input.LIVE));
            Thread.sleep(2000);
            double killedAt = engine.mixSeconds();
            source.destroy();
            await().atMost(Duration.ofSeconds(10)).until(() -> state(engine).equals(WorkerReport.Input.LOST));
            WorkerReport.Input lost = engine.report().inputs().get(0);
            assertThat(lost.reason()).isNotBlank().doesNotContain("rtmp://");
            long framesWhenLost = engine.report().outputs().get(0).frames();
            Thread.sleep(2000);
            double lostWindow = engine.mixSeconds() - 1;
            assertThat(engine.report().outputs().get(0).frames()).as("the mix goes on without the input")
                    .isGreaterThan(framesWhenLost + 15);
            source = serveRed(inPort);
            await().atMost(Duration.ofSeconds(25)).until(() -> state(engine).equals(WorkerReport.Input.LIVE));
            Thread.sleep(2500);
            double backAt = engine.mixSeconds() - 1;
            assertThat(engine.report().outputs().get(0).state()).isEqualTo(WorkerReport.Output.LIVE);
            engine.close();
            assertThat(receiver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("receiver saw the end of the stream").isTrue();

            var probe = MediaTools.probe(recorded);
            assertThat(MediaTools.stream(probe, "video").get("codec_name").asText()).isEqualTo("h264");
            assertThat(MediaTools.stream(probe, "video").get("width").asInt()).isEqualTo(320);
            assertThat(MediaTools.stream(probe, "audio").get("codec_name").asText()).isEqualTo("aac");
            // The recording starts at the mix's time 0 (FLV keeps the timestamps).
            MediaTools.Picture before = MediaTools.frameAt(recorded, killedAt - 1, 320, 240);
            MediaTools.Picture during = MediaTools.frameAt(recorded, lostWindow, 320, 240);
            MediaTools.Picture after = MediaTools.frameAt(recorded, backAt, 320, 240);
            assertThat(before.is(160, 120, 0xFF0000, 40)).as("red before the kill: " + before.describe(160, 120)).isTrue();
            assertThat(during.is(160, 120, 0x0000FF, 40)).as("background while lost: " + during.describe(160, 120)).isTrue();
            assertThat(after.is(160, 120, 0xFF0000, 40)).as("red again after the return: " + after.describe(160, 120)).isTrue();
        } finally {
            engine.close();
            source.destroy();
            receiver.destroy();
        }
    }

    private static String state(io.streammix.worker.engine.MixEngine e) {
        return e.report().inputs().get(0).state();
    }
}
