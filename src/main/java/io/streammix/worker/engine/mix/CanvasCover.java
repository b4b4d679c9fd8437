package io.streammix.worker.engine.mix;

import java.util.List;

/**
 * Whether a tick's pictures cover every pixel of the canvas, so that copying the background first would be undone
 * byte for byte (two inputs side by side, a full grid): the pictures are opaque YUV, each drawn clipped to the
 * canvas. Only an exact tiling counts (no two pictures overlap and their areas add up to the canvas); overlapping
 * layouts (picture-in-picture) keep the background copy, which is cheap next to proving their union.
 */
final class CanvasCover {
    private CanvasCover() {
    }

    static boolean tiles(List<Compositor.Placed> pictures, int width, int height) {
        long area = 0;
        for (int i = 0; i < pictures.size(); i++) {
            int[] a = clipped(pictures.get(i), width, height);
            if (a == null) {
                continue;
            }
            for (int j = 0; j < i; j++) {
                int[] b = clipped(pictures.get(j), width, height);
                if (b != null && a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) {
                    return false;
                }
            }
            area += (long) (a[2] - a[0]) * (a[3] - a[1]);
        }
        return area == (long) width * height;
    }

    /** {left, top, right, bottom} of a picture within the canvas, null when none of it is on the canvas. */
    private static int[] clipped(Compositor.Placed p, int width, int height) {
        int l = Math.max(0, p.x());
        int t = Math.max(0, p.y());
        int r = Math.min(width, p.x() + p.frame().width());
        int b = Math.min(height, p.y() + p.frame().height());
        return l < r && t < b ? new int[]{l, t, r, b} : null;
    }
}
