package io.streammix.worker.engine.scene;

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plan's rungs are the distinct output sizes smaller than the canvas (the first video output), and an input's rect
 * on a rung keeps the layout: rects that meet on the canvas meet on the rung, and the canvas edge is the rung's edge.
 */
class MixPlanRungsTest {
    private static MixOutput out(String name, int w, int h) {
        return MediaTools.fileOutput(name, Path.of("/tmp/" + name + ".mp4"), w, h, 15);
    }

    @Test
    void rungsAreTheSmallerDistinctOutputSizes() {
        MixTaskSpec spec = MediaTools.spec(List.of(input("a", "synthetic:color", 0, 0, 960, 540, 0)),
                List.of(out("hd", 1920, 1080), out("sd", 1280, 720), out("low", 853, 480), out("sd2", 1280, 720),
                        out("hd2", 1920, 1080), out("tall", 1080, 1920)));
        MixPlan plan = MixPlan.of(spec, null);
        // 853 is encoded as 854 (even); the canvas size and a size larger than the canvas are no rungs.
        assertThat(plan.rungs()).containsExactly(new MixPlan.Rung(1280, 720), new MixPlan.Rung(854, 480));
        assertThat(MixPlan.of(MediaTools.spec(spec.inputs, List.of(out("hd", 1920, 1080))), null).rungs()).isEmpty();
    }

    @Test
    void rectsOnARungMeetWhereTheyMeetOnTheCanvas() {
        MixPlan.Rung rung = new MixPlan.Rung(854, 480);
        InputLayout[][] grid = new InputLayout[2][2];
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                InputLayout l = new InputLayout("in" + r + c, c * 960, r * 540, 960, 540, 0, null, null, 100, 0);
                grid[r][c] = rung.layout(l, 1920, 1080);
            }
        }
        assertThat(grid[0][0].left() + grid[0][0].width()).isEqualTo(grid[0][1].left());
        assertThat(grid[0][1].left() + grid[0][1].width()).isEqualTo(854);
        assertThat(grid[0][0].top() + grid[0][0].height()).isEqualTo(grid[1][0].top());
        assertThat(grid[1][0].top() + grid[1][0].height()).isEqualTo(480);
        for (InputLayout[] row : grid) {
            for (InputLayout l : row) {
                assertThat(l.left() % 2 + l.top() % 2 + l.width() % 2 + l.height() % 2).as("even edges " + l).isZero();
            }
        }
    }
}
