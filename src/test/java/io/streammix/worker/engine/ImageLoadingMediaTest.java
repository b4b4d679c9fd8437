package io.streammix.worker.engine;

import com.sun.net.httpserver.HttpServer;
import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.Watermark;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.engine.scene.Scene;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Background and watermark images load off the edit: from a real HTTP server on loopback that answers slowly, not at
 * all (404), or never. The edit returns at once and its layout is live at once; the old background stays on screen,
 * in every recorded frame, until the new image is in, then the engine reports the frame it first showed in; a missing
 * image is a warning naming its field (not its URL) and the mix goes on; closing the engine breaks off a download.
 */
class ImageLoadingMediaTest {
    private static final int FPS = 15;
    private static final int TOL = 60;

    @TempDir
    Path dir;

    @Test
    void aSlowImageSwapsInWhenReadyAMissingOneWarnsAndCloseNeverWaits() throws Exception {
        Path png = dir.resolve("yellow.png");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=#FFFF00:s=320x240", "-frames:v", "1", png.toString());
        byte[] yellow = Files.readAllBytes(png);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-images");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/slow.png", ex -> {
            sleep(1500);
            ex.getResponseHeaders().add("Content-Type", "image/png");
            ex.sendResponseHeaders(200, yellow.length);
            ex.getResponseBody().write(yellow);
            ex.close();
        });
        http.createContext("/missing.png", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        http.createContext("/hang.png", ex -> sleep(60_000));
        http.start();
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        Path recorded = dir.resolve("images.mkv");
        MixTaskSpec spec = MediaTools.spec(List.of(input("a", "synthetic:color?color=#FF0000&size=320x240&fps=15", 0, 0, 160, 120, 0)),
                List.of(MediaTools.fileOutput("rec", recorded, 320, 240, FPS)));
        spec.background = new Background("#0000FF", null);
        MixEngine engine = EngineRun.start(MediaTools.copy(spec), dir);
        double editAt;
        double imageAt;
        long closeMillis;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.report().inputs().stream()
                    .allMatch(i -> WorkerReport.Input.LIVE.equals(i.state())));
            Thread.sleep(1000);

            // 1. a background image that takes 1.5 s, with a rect move in the same edit
            spec.background = new Background("#0000FF", base + "/slow.png");
            spec.inputs.get(0).rect = new Rect(160, 120, 320, 240);
            long t0 = System.nanoTime();
            assertThat(engine.apply(new SpecSubmission(2, MediaTools.copy(spec)))).isEmpty();
            long applyMillis = (System.nanoTime() - t0) / 1_000_000;
            editAt = engine.mixSeconds();
            assertThat(applyMillis).as("the edit does not wait for the download, ms").isLessThan(Scene.IMAGE_WAIT_MS + 300);
            assertThat(engine.report().lastUpdate().message()).isEqualTo("live; loading spec.background.image");
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.report().lastUpdate().appliedAt() != null);
            WorkerReport.UpdateResult done = engine.report().lastUpdate();
            assertThat(done.message()).isEqualTo("live");
            imageAt = done.appliedAt();
            assertThat(imageAt - editAt).as("the image came in with its download").isGreaterThan(1.0);
            Thread.sleep(700);

            // 2. a watermark that is not there: a warning naming the field, the mix goes on
            spec.watermark = new Watermark();
            spec.watermark.image = base + "/missing.png";
            spec.watermark.rect = new Rect(0, 0, 64, 64);
            assertThat(engine.apply(new SpecSubmission(3, MediaTools.copy(spec)))).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.report().lastUpdate().appliedAt() != null);
            WorkerReport report = engine.report();
            assertThat(report.lastUpdate().message()).startsWith("live; spec.watermark.image not shown: ");
            assertThat(report.warnings()).anySatisfy(w -> assertThat(w).startsWith("spec.watermark.image not shown: "));
            assertThat(String.join(" ", report.warnings()) + report.lastUpdate().message()).doesNotContain("127.0.0.1");
            assertThat(report.outputs().get(0).state()).isEqualTo(WorkerReport.Output.LIVE);

            // 3. an image whose server never answers: closing the engine breaks the download off
            spec.watermark = null;
            spec.background = new Background("#0000FF", base + "/hang.png");
            assertThat(engine.apply(new SpecSubmission(4, MediaTools.copy(spec)))).isEmpty();
            assertThat(engine.report().lastUpdate().message()).isEqualTo("live; loading spec.background.image");
            Thread.sleep(500);
        } finally {
            long c0 = System.nanoTime();
            engine.close();
            closeMillis = (System.nanoTime() - c0) / 1_000_000;
            http.stop(0);
        }
        assertThat(closeMillis).as("close during a download, ms").isLessThan(3000);

        // Every frame from two frames after the edit: the input in its new rect; the old background until the frame the
        // engine reported, the image from it on.
        int editFrame = (int) Math.round(editAt * FPS) + 2;
        int imageFrame = (int) Math.round(imageAt * FPS);
        int endFrame = imageFrame + FPS / 2;
        int[] counts = new int[3]; // before the image, from it, bad
        List<String> bad = new ArrayList<>();
        MediaTools.eachFrame(recorded, 320, 240, (i, seconds, p) -> {
            int index = (int) Math.round(seconds * FPS);
            if (index < editFrame || index > endFrame) {
                return;
            }
            int bg = index < imageFrame ? 0x0000FF : 0xFFFF00;
            counts[index < imageFrame ? 0 : 1]++;
            if (!p.is(20, 20, bg, TOL) || !p.is(240, 180, 0xFF0000, TOL)) {
                counts[2]++;
                bad.add(index + ": " + p.describe(20, 20) + " " + p.describe(240, 180));
            }
        });
        System.out.printf("ImageLoadingMediaTest: edit at mix %.3f s, image in at %.3f s (frame %d); %d frames with the old "
                + "background, %d with the image, %d bad; close during a download %d ms%n", editAt, imageAt, imageFrame,
                counts[0], counts[1], counts[2], closeMillis);
        assertThat(bad).isEmpty();
        assertThat(counts[0]).as("frames showing the old background while the image loads").isGreaterThan(FPS);
        assertThat(counts[1]).isGreaterThan(FPS / 3);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
