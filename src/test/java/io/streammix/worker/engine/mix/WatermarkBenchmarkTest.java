package io.streammix.worker.engine.mix;

import io.streammix.worker.engine.scene.ImageLoader;
import io.streammix.worker.engine.scene.InputLayout;
import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.engine.scene.StillImages;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.Content;
import io.streammix.api.v1alpha1.RenderMode;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.Watermark;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.media.Frames;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/**
 * The output clock's cost per tick of drawing a canvas with a watermark: {@code Compositor.compose} on a 1280x720
 * canvas with a 400x200 PNG watermark that has an opaque logo, a half-transparent band and a transparent rest
 * (what logos look like), against the same canvas without a watermark. Prints microseconds per tick; and the cost of
 * the one rescale per input the clock does at a layout change.
 *
 * <p>Run: {@code ./mvnw -B -q -o test -Dcontrol-plane.skip -Dtest=WatermarkBenchmarkTest -Dtest.excludedGroups=none}
 */
@Tag("benchmark")
class WatermarkBenchmarkTest {
    private static final int TICKS = 600;

    @TempDir
    Path dir;

    @Test
    void watermarkCostPerTick() throws Exception {
        EngineRun.prepare();
        Path logo = dir.resolve("logo.png");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=white:s=400x200,format=rgba", "-vf",
                "geq=r='255':g='64':b='0':a='if(lt(hypot(X-100,Y-100),80),255,if(between(Y,150,190),128,0))'",
                "-frames:v", "1", logo.toString());
        MixTaskSpec spec = MediaTools.spec(List.of(input("cam", "synthetic:color?color=#FF0000", 0, 0, 640, 360, 0)),
                List.of(MediaTools.fileOutput("out", dir.resolve("unused.mkv"), 1280, 720, 30)));
        spec.background = new Background("#0000FF", null);
        double without = perTick(spec);
        spec.watermark = new Watermark();
        spec.watermark.image = logo.toString();
        spec.watermark.rect = new Rect(840, 480, 1240, 680);
        double with = perTick(spec);
        System.out.printf("BENCHMARK compose 1280x720 canvas: %.1f us per tick without watermark, %.1f us with a 400x200 "
                + "watermark: the watermark costs %.1f us per tick (%d ticks)%n", without, with, with - without, TICKS);
        assertThat(with).isGreaterThan(0);
    }

    /** What the clock adds at a layout change: one rescale per input (a 640x360 picture to a 960x540 rect, and back). */
    @Test
    void rescaleCostPerInputPerLayoutChange() {
        EngineRun.prepare();
        InputLayout small = new InputLayout("cam", 0, 0, 640, 360, 0, RenderMode.Crop, Content.AudioVideo, 100, 0);
        InputLayout big = new InputLayout("cam", 0, 0, 960, 540, 0, RenderMode.Crop, Content.AudioVideo, 100, 0);
        AVFrame f = Frames.video(640, 360, AV_PIX_FMT_YUV420P);
        Frames.fill(f, Frames.Yuv.ofHex("#FF0000"));
        InputSlot.Picture p = new InputSlot.Picture(f, 0, InputSlot.Made.of(small, small.place(1280, 720), 1280, 720));
        try (Rescaler r = new Rescaler()) {
            for (int i = 0; i < 200; i++) {
                InputSlot.Picture up = r.fit(p, big);
                InputSlot.Picture down = r.fit(up, small);
                Frames.free(up.frame());
                Frames.free(down.frame());
            }
            long n0 = r.count();
            long t0 = r.nanos();
            for (int i = 0; i < 200; i++) {
                InputSlot.Picture up = r.fit(p, big);
                InputSlot.Picture down = r.fit(up, small);
                Frames.free(up.frame());
                Frames.free(down.frame());
            }
            double us = (r.nanos() - t0) / 1e3 / (r.count() - n0);
            System.out.printf("BENCHMARK rescale at a layout change: %.1f us per picture (640x360 <-> 960x540, mean of %d)%n",
                    us, r.count() - n0);
            assertThat(us).isGreaterThan(0);
        } finally {
            Frames.free(f);
        }
    }

    /** Microseconds per compose, best of three runs of TICKS ticks after a warm-up. */
    private static double perTick(MixTaskSpec spec) {
        try (StillImages images = new StillImages(); ImageLoader loader = new ImageLoader(images, () -> { });
             Compositor c = new Compositor()) {
            loader.request(spec).forEach(java.util.concurrent.CompletableFuture::join);
            MixPlan plan = MixPlan.of(spec, loader, 1, 1, null);
            assertThat(plan.watermark() != null).isEqualTo(spec.watermark != null);
            Map<String, InputSlot> slots = Map.of();
            double best = Double.MAX_VALUE;
            for (int run = 0; run < 4; run++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < TICKS; i++) {
                    AVFrame canvas = c.compose(plan, slots, i / 30.0, 1 / 60.0);
                    Frames.free(canvas);
                }
                double us = (System.nanoTime() - t0) / 1e3 / TICKS;
                if (run > 0) {
                    best = Math.min(best, us);
                }
            }
            return best;
        }
    }
}
