package io.streammix.worker.engine.scene;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.util.Arrays;

/**
 * A YUVA420P watermark prepared once, when its image is loaded, for drawing on every tick: each row of each plane is
 * split into spans of opaque pixels (copied onto the canvas with one native copy each), spans of translucent pixels
 * (blended in Java with the source premultiplied by its alpha ahead of time) and transparent pixels (not touched).
 * A logo with an opaque shape on a transparent ground then costs a few copies per row instead of a blend per pixel.
 *
 * <p>Drawn by the output clock only; immutable once built.
 */
public final class WatermarkBlend {
    private final int width;
    private final int height;
    /** Per plane (Y, U, V): {@code row, col, len} triples of opaque spans. */
    private final int[][] opaque = new int[3][];
    /** Per plane: {@code row, col, len, first} of translucent spans; {@code first} indexes {@link #premul}/{@link #inverse}. */
    private final int[][] translucent = new int[3][];
    /** Per plane and translucent pixel: source * alpha + 127 (rounding), and 255 - alpha. */
    private final int[][] premul = new int[3][];
    private final int[][] inverse = new int[3][];
    /** The watermark's own planes, read by the opaque copies. */
    private final BytePointer[] planes = new BytePointer[3];
    private final int[] linesize = new int[3];
    private byte[] row = new byte[0];

    /** @param wm the scaled watermark (YUVA420P); it must outlive this blend (the cache frees both together) */
    WatermarkBlend(AVFrame wm) {
        this.width = wm.width();
        this.height = wm.height();
        int fullW = width;
        byte[] alpha = new byte[fullW * height];
        for (int r = 0; r < height; r++) {
            wm.data(3).position((long) r * wm.linesize(3)).get(alpha, r * fullW, fullW);
        }
        for (int p = 0; p < 3; p++) {
            int sub = p == 0 ? 0 : 1;
            int pw = (width + sub) >> sub;
            int ph = (height + sub) >> sub;
            planes[p] = new BytePointer(wm.data(p));
            linesize[p] = wm.linesize(p);
            byte[] src = new byte[pw];
            int[] op = new int[0];
            int nOp = 0;
            int[] tr = new int[0];
            int nTr = 0;
            int[] pre = new int[0];
            int[] inv = new int[0];
            int nPix = 0;
            for (int r = 0; r < ph; r++) {
                planes[p].position((long) r * linesize[p]).get(src, 0, pw);
                int c = 0;
                while (c < pw) {
                    int a = alpha(alpha, fullW, height, r << sub, c << sub);
                    int end = c + 1;
                    while (end < pw && kind(alpha(alpha, fullW, height, r << sub, end << sub)) == kind(a)) {
                        end++;
                    }
                    if (kind(a) == 2) {
                        op = grow(op, nOp + 3);
                        op[nOp++] = r;
                        op[nOp++] = c;
                        op[nOp++] = end - c;
                    } else if (kind(a) == 1) {
                        tr = grow(tr, nTr + 4);
                        tr[nTr++] = r;
                        tr[nTr++] = c;
                        tr[nTr++] = end - c;
                        tr[nTr++] = nPix;
                        pre = grow(pre, nPix + end - c);
                        inv = grow(inv, nPix + end - c);
                        for (int x = c; x < end; x++) {
                            int ax = alpha(alpha, fullW, height, r << sub, x << sub);
                            pre[nPix] = (src[x] & 0xFF) * ax + 127;
                            inv[nPix++] = 255 - ax;
                        }
                    }
                    c = end;
                }
            }
            planes[p].position(0);
            opaque[p] = Arrays.copyOf(op, nOp);
            translucent[p] = Arrays.copyOf(tr, nTr);
            premul[p] = Arrays.copyOf(pre, nPix);
            inverse[p] = Arrays.copyOf(inv, nPix);
            row = new byte[Math.max(row.length, pw)];
        }
    }

    private static int alpha(byte[] alpha, int w, int h, int y, int x) {
        return alpha[Math.min(y, h - 1) * w + Math.min(x, w - 1)] & 0xFF;
    }

    /** 0 transparent, 1 translucent, 2 opaque. */
    private static int kind(int a) {
        return a == 0 ? 0 : a == 255 ? 2 : 1;
    }

    private static int[] grow(int[] a, int n) {
        return n <= a.length ? a : Arrays.copyOf(a, Math.max(n, a.length * 2 + 16));
    }

    /** Java memory this blend holds (for the cache's bound). */
    long bytes() {
        long n = 0;
        for (int p = 0; p < 3; p++) {
            n += 4L * (opaque[p].length + translucent[p].length + premul[p].length + inverse[p].length);
        }
        return n;
    }

    /** Draws the watermark at (left, top) of a YUV420P canvas, clipped to it. */
    public void draw(AVFrame canvas, int left, int top) {
        for (int p = 0; p < 3; p++) {
            int sub = p == 0 ? 0 : 1;
            int x0 = left >> sub;
            int y0 = top >> sub;
            int cw = (canvas.width() + sub) >> sub;
            int ch = (canvas.height() + sub) >> sub;
            BytePointer dst = canvas.data(p);
            int ls = canvas.linesize(p);
            int[] op = opaque[p];
            for (int i = 0; i < op.length; i += 3) {
                int y = y0 + op[i];
                int x = x0 + op[i + 1];
                int len = Math.min(op[i + 2], cw - x);
                if (y >= ch || len <= 0) {
                    continue;
                }
                Pointer.memcpy(dst.position((long) y * ls + x), planes[p].position((long) op[i] * linesize[p] + op[i + 1]), len);
            }
            int[] tr = translucent[p];
            int[] pre = premul[p];
            int[] inv = inverse[p];
            for (int i = 0; i < tr.length; i += 4) {
                int y = y0 + tr[i];
                int x = x0 + tr[i + 1];
                int len = Math.min(tr[i + 2], cw - x);
                if (y >= ch || len <= 0) {
                    continue;
                }
                long off = (long) y * ls + x;
                dst.position(off).get(row, 0, len);
                int k = tr[i + 3];
                for (int c = 0; c < len; c++, k++) {
                    row[c] = (byte) ((pre[k] + (row[c] & 0xFF) * inv[k]) / 255);
                }
                dst.position(off).put(row, 0, len);
            }
            dst.position(0);
        }
        for (BytePointer bp : planes) {
            bp.position(0);
        }
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }
}
