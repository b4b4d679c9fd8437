package io.streammix.worker.engine.scene;

import io.streammix.worker.EngineRun;
import io.streammix.worker.media.Frames;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVA420P;

/**
 * The prepared watermark ({@link WatermarkBlend}) gives, pixel for pixel, what blending every pixel by its alpha gives
 * (the reference formula below, the one the clock used per pixel before), for opaque, translucent and transparent
 * areas and a watermark clipped by the canvas edge.
 */
class WatermarkBlendTest {

    @Test
    void sameAsBlendingEveryPixel() {
        EngineRun.prepare();
        int w = 90;
        int h = 50;
        AVFrame wm = Frames.video(w, h, AV_PIX_FMT_YUVA420P);
        Random rnd = new Random(7);
        for (int p = 0; p < 4; p++) {
            int pw = p == 1 || p == 2 ? (w + 1) / 2 : w;
            int ph = p == 1 || p == 2 ? (h + 1) / 2 : h;
            for (int y = 0; y < ph; y++) {
                byte[] row = new byte[pw];
                for (int x = 0; x < pw; x++) {
                    // alpha: opaque left third, transparent middle, translucent (random) right; with a few random holes
                    int a = x < w / 3 ? 255 : x < 2 * w / 3 ? 0 : 1 + rnd.nextInt(254);
                    row[x] = (byte) (p == 3 ? (rnd.nextInt(10) == 0 ? rnd.nextInt(256) : a) : rnd.nextInt(256));
                }
                wm.data(p).position((long) y * wm.linesize(p)).put(row, 0, pw);
            }
            wm.data(p).position(0);
        }
        WatermarkBlend blend = new WatermarkBlend(wm);
        int cw = 160;
        int ch = 100;
        int left = 100; // clipped: 90 wide from 100 on a 160 wide canvas
        int top = 60;
        AVFrame canvas = Frames.video(cw, ch, AV_PIX_FMT_YUV420P);
        byte[][] before = new byte[3][];
        for (int p = 0; p < 3; p++) {
            int pw = p == 0 ? cw : cw / 2;
            int ph = p == 0 ? ch : ch / 2;
            before[p] = new byte[pw * ph];
            rnd.nextBytes(before[p]);
            for (int y = 0; y < ph; y++) {
                canvas.data(p).position((long) y * canvas.linesize(p)).put(before[p], y * pw, pw);
            }
            canvas.data(p).position(0);
        }
        blend.draw(canvas, left, top);
        int checked = 0;
        for (int p = 0; p < 3; p++) {
            int sub = p == 0 ? 0 : 1;
            int pw = cw >> sub;
            int ph = ch >> sub;
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    int d = before[p][y * pw + x] & 0xFF;
                    int wx = x - (left >> sub);
                    int wy = y - (top >> sub);
                    int expected = d;
                    if (wx >= 0 && wy >= 0 && wx < (w + sub) >> sub && wy < (h + sub) >> sub) {
                        int a = byteAt(wm, 3, Math.min(wy << sub, h - 1), Math.min(wx << sub, w - 1));
                        int s = byteAt(wm, p, wy, wx);
                        expected = (s * a + d * (255 - a) + 127) / 255;
                        checked++;
                    }
                    int got = byteAt(canvas, p, y, x);
                    assertThat(got).as("plane %d at (%d,%d)", p, x, y).isEqualTo(expected);
                }
            }
        }
        assertThat(checked).as("pixels under the watermark").isGreaterThan(60 * 40);
        Frames.free(canvas);
        Frames.free(wm);
    }

    private static int byteAt(AVFrame f, int plane, int y, int x) {
        return f.data(plane).get((long) y * f.linesize(plane) + x) & 0xFF;
    }
}
