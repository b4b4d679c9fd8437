package io.streammix.worker.engine.mix;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.RateControl;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ladder's smaller output is drawn from the inputs' own pictures ({@link RungCanvases}), not by scaling the canvas:
 * a 640x360 source of fine detail (a 2-pixel checkerboard) fills a 960x540 canvas, and the 640x360 rung shows the
 * source's pixels (up to the encoder) where scaling the canvas down again resampled them twice and blurred the
 * pattern away. The canvas-size output still shows the pattern scaled up, and both show the background beside it.
 */
class RungCanvasesMediaTest {
    @TempDir
    Path dir;

    @Test
    void smallerOutputShowsTheSourcePixelsNotARescaledCanvas() throws Exception {
        Path src = dir.resolve("checker.mkv");
        // Lossless, so that the engine decodes exactly the pattern compared against below.
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=black:s=640x360:r=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-vf", "geq=lum='if(mod(floor(X/2)+floor(Y/2),2),220,30)':cb=128:cr=128", "-t", "8",
                "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", src.toString());
        MixOutput canvas = MediaTools.fileOutput("canvas", dir.resolve("canvas.mp4"), 960, 540, 15);
        MixOutput rung = MediaTools.fileOutput("rung", dir.resolve("rung.mp4"), 640, 360, 15);
        // Near-lossless encodes (CRF 10, rate capped at the most the spec allows), so that what is measured is the
        // drawing, not the encoder.
        for (MixOutput o : List.of(canvas, rung)) {
            o.video.rateControl = RateControl.CRF;
            o.video.quality = 10;
            o.video.bitrate = 10_000_000;
        }
        // The source fills the 960x540 canvas (scaled x 1.5); on the 640x360 rung its rect is its own size: no scaling.
        MixTaskSpec spec = MediaTools.spec(List.of(input("checker", src.toString(), 0, 0, 960, 540, 0)), List.of(canvas, rung));
        spec.background = new Background("#0000FF", null);
        EngineRun.runFor(spec, dir, 4);

        byte[] source = gray(src, 1.0, 640, 360);
        byte[] shown = gray(dir.resolve("rung.mp4"), 2.5, 640, 360);
        double psnr = psnr(source, shown);
        // Scaling the canvas down (the old path) blurs the checkerboard towards grey: 11.4 dB measured. Drawn from the
        // source: 22.7 dB while placement showed every source from (2, 2) on (issue 24: the last 2 columns and rows read
        // from past the picture); since, the source's own pixels, identical luma at 2.5 s (x264 at CRF 10).
        assertThat(psnr).as("PSNR of the rung's luma against the source's, dB").isGreaterThan(30);
        // The canvas-size output is unchanged: the pattern scaled up (not the source's pixels, but not grey either).
        byte[] big = gray(dir.resolve("canvas.mp4"), 2.5, 960, 540);
        assertThat(spread(big)).as("luma spread of the canvas output (the pattern is there)").isGreaterThan(60);
    }

    /** The luma of the picture at {@code seconds} (full-range grey, the same conversion for every file). */
    private static byte[] gray(Path file, double seconds, int w, int h) throws Exception {
        byte[] g = MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-ss", String.valueOf(seconds), "-i", file.toString(),
                "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-");
        assertThat(g.length).as("a " + w + "x" + h + " picture at " + seconds + " s of " + file).isEqualTo(w * h);
        return g;
    }

    private static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            se += d * d;
        }
        double mse = se / a.length;
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** Standard deviation of the values: a flat grey picture has none. */
    private static double spread(byte[] a) {
        double sum = 0;
        double sq = 0;
        for (byte v : a) {
            sum += v & 0xff;
            sq += (v & 0xff) * (v & 0xff);
        }
        double mean = sum / a.length;
        return Math.sqrt(sq / a.length - mean * mean);
    }
}
