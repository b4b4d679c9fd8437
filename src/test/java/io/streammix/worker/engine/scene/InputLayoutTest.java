package io.streammix.worker.engine.scene;

import io.streammix.api.v1alpha1.RenderMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a source goes in its rect ({@link InputLayout#place}): the whole source when it has the rect's aspect (no
 * crop, no offset: an offset of 0 stays 0), the centre of a wider or taller one (Crop), the whole of it between bars
 * (Fit); offsets even for 4:2:0 chroma, and the crop window always inside the source.
 */
class InputLayoutTest {
    private static InputLayout rect(int w, int h, RenderMode mode) {
        return new InputLayout("in", 0, 0, w, h, 0, mode, null, 100, 0);
    }

    @Test
    void aSourceOfTheRectsAspectIsShownWholeFromItsFirstPixel() {
        for (RenderMode mode : RenderMode.values()) {
            // Scaled up, same size, scaled down: a 640x360 source in a 960x540, 640x360 and 426x240 rect.
            assertThat(rect(960, 540, mode).place(640, 360)).as(mode + " up").isEqualTo(new InputLayout.Placement(960, 540, 0, 0, 0, 0, 640, 360));
            assertThat(rect(640, 360, mode).place(640, 360)).as(mode + " same").isEqualTo(new InputLayout.Placement(640, 360, 0, 0, 0, 0, 640, 360));
        }
        assertThat(rect(426, 240, RenderMode.Crop).place(640, 360)).isEqualTo(new InputLayout.Placement(426, 240, 0, 0, 0, 0, 639, 360));
        assertThat(rect(426, 240, RenderMode.Fit).place(640, 360)).isEqualTo(new InputLayout.Placement(426, 240, 0, 0, 0, 0, 640, 360));
    }

    @Test
    void cropShowsTheCentreAndFitLeavesCentredBars() {
        // 4:3 in 16:9: Crop keeps the middle 640x360 of 640x480 (rows 60..419); Fit shows 720x540 with 120 px bars each side.
        assertThat(rect(960, 540, RenderMode.Crop).place(640, 480)).isEqualTo(new InputLayout.Placement(960, 540, 0, 0, 0, 60, 640, 360));
        assertThat(rect(960, 540, RenderMode.Fit).place(640, 480)).isEqualTo(new InputLayout.Placement(720, 540, 120, 0, 0, 0, 640, 480));
        // Odd halves are rounded down to even: 1280x720 in a 1002x720 rect keeps 1002 columns from 138 (not 139); Fit bars of 5 start at 4.
        assertThat(rect(1002, 720, RenderMode.Crop).place(1280, 720)).isEqualTo(new InputLayout.Placement(1002, 720, 0, 0, 138, 0, 1002, 720));
        assertThat(rect(1280, 730, RenderMode.Fit).place(1280, 720)).isEqualTo(new InputLayout.Placement(1280, 720, 0, 4, 0, 0, 1280, 720));
    }

    @Test
    void theCropWindowStaysInsideTheSource() {
        for (int w = 2; w <= 200; w += 2) {
            for (int h = 2; h <= 120; h += 2) {
                InputLayout.Placement p = rect(w, h, RenderMode.Crop).place(173, 97);
                assertThat(p.cropX() % 2 + p.cropY() % 2).as("even crop offsets in %dx%d", w, h).isZero();
                assertThat(p.cropX() + p.cropW()).as("crop within the width in %dx%d", w, h).isLessThanOrEqualTo(173);
                assertThat(p.cropY() + p.cropH()).as("crop within the height in %dx%d", w, h).isLessThanOrEqualTo(97);
            }
        }
    }
}
