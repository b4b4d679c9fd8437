package io.streammix.worker.engine.mix;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

/**
 * When the compositor may leave the background out: only when the pictures cover every canvas pixel. A wrong yes
 * shows an older canvas's pixels (canvas buffers are recycled), so every near miss must say no.
 */
class CanvasCoverTest {
    private final List<AVFrame> frames = new ArrayList<>();

    @AfterEach
    void free() {
        frames.forEach(f -> av_frame_free(f));
    }

    private Compositor.Placed at(int x, int y, int w, int h) {
        AVFrame f = av_frame_alloc().width(w).height(h);
        frames.add(f);
        return new Compositor.Placed(f, x, y);
    }

    @Test
    void twoPicturesSideBySideTileTheCanvas() {
        assertThat(CanvasCover.tiles(List.of(at(0, 0, 640, 360), at(640, 0, 640, 360)), 1280, 360)).isTrue();
    }

    @Test
    void aFullGridTilesTheCanvasAndAPictureOverTheEdgeCountsOnlyWhereItIsDrawn() {
        List<Compositor.Placed> grid = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            grid.add(at((i % 2) * 640, (i / 2) * 360, 640, 400)); // the bottom row hangs 40 px below the canvas
        }
        assertThat(CanvasCover.tiles(grid, 1280, 720)).as("the top row's extra 40 px overlap the bottom row").isFalse();
        assertThat(CanvasCover.tiles(List.of(at(0, 0, 640, 720), at(640, 0, 700, 800)), 1280, 720)).isTrue();
    }

    @Test
    void aGapAFitBarOrNothingKeepTheBackground() {
        assertThat(CanvasCover.tiles(List.of(at(0, 0, 640, 360), at(642, 0, 638, 360)), 1280, 360)).as("a 2 px gap").isFalse();
        assertThat(CanvasCover.tiles(List.of(at(0, 0, 640, 360), at(640, 20, 640, 320)), 1280, 360)).as("Fit bars").isFalse();
        assertThat(CanvasCover.tiles(List.of(), 1280, 360)).isFalse();
    }

    @Test
    void overlapsKeepTheBackgroundEvenWhenTheAreasAddUp() {
        // Picture-in-picture: the full-screen picture plus a guest over it; and two pictures whose areas sum to the
        // canvas but that overlap, leaving a strip uncovered.
        assertThat(CanvasCover.tiles(List.of(at(0, 0, 1280, 720), at(880, 478, 360, 202)), 1280, 720)).isFalse();
        assertThat(CanvasCover.tiles(List.of(at(0, 0, 640, 360), at(600, 0, 640, 360)), 1280, 360)).isFalse();
    }
}
