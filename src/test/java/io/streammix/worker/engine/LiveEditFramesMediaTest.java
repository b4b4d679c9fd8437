package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.Content;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.RenderMode;
import io.streammix.api.v1alpha1.Watermark;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every frame across every live edit of the picture: a rect resize and move, Crop to Fit, content AudioOnly and back,
 * a rect moved over another input, a layer change, the background colour, a background image, a watermark. Inputs are
 * solid colours over a background of another colour; the engine says at which mix time the first frame of each update
 * was drawn ({@code lastUpdate.appliedAt}), and each recorded frame is checked at points inside the old and new rects:
 * every frame before that one shows the old layout, from it on every frame shows the new one, with the picture in its
 * rect (never the background where an input should be). Prints one line per edit.
 */
class LiveEditFramesMediaTest {
    private static final int FPS = 15;
    private static final int TOL = 60;
    private static final int RED = 0xFF0000;
    private static final int WHITE = 0xFFFFFF;
    private static final int BLUE = 0x0000FF;
    private static final int GREEN = 0x00FF00;
    private static final int YELLOW = 0xFFFF00;
    private static final int MAGENTA = 0xFF00FF;

    @TempDir
    Path dir;

    private record Probe(int x, int y, int rgb) {
    }

    /** One edit, with points that show the layout before it and after it. */
    private record Edit(String name, Consumer<MixTaskSpec> change, List<Probe> before, List<Probe> after) {
    }

    private static Probe at(int x, int y, int rgb) {
        return new Probe(x, y, rgb);
    }

    @Test
    void everyFrameShowsTheOldLayoutUntilTheAppliedFrameAndTheNewOneFromIt() throws Exception {
        Path yellow = dir.resolve("yellow.png");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=#FFFF00:s=320x240", "-frames:v", "1", yellow.toString());
        Path magenta = dir.resolve("magenta.png");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=#FF00FF:s=64x64", "-frames:v", "1", magenta.toString());
        // A: red, Crop, top left; B: white, bottom left; blue background. Rect A (100,40,300,150) in Fit shows its 4:3
        // picture 146x110 at x 126..272, with background bars at 100..126 and 272..300.
        Path recorded = dir.resolve("edits.mkv");
        MixTaskSpec spec = MediaTools.spec(List.of(
                        input("a", "synthetic:color?color=#FF0000&size=320x240&fps=15", 0, 0, 160, 120, 0),
                        input("b", "synthetic:color?color=#FFFFFF&size=320x240&fps=15", 0, 180, 80, 240, 0)),
                List.of(MediaTools.fileOutput("rec", recorded, 320, 240, FPS)));
        spec.background = new Background("#0000FF", null);
        List<Edit> edits = List.of(
                new Edit("rect a resized and moved", s -> s.inputs.get(0).rect = new Rect(100, 40, 300, 150),
                        List.of(at(20, 20, RED), at(80, 60, RED), at(200, 95, BLUE), at(290, 140, BLUE)),
                        List.of(at(20, 20, BLUE), at(80, 60, BLUE), at(106, 46, RED), at(294, 46, RED), at(106, 144, RED),
                                at(294, 144, RED), at(200, 95, RED))),
                new Edit("renderMode a Crop -> Fit", s -> s.inputs.get(0).renderMode = RenderMode.Fit,
                        List.of(at(110, 95, RED), at(290, 95, RED)),
                        List.of(at(110, 95, BLUE), at(290, 95, BLUE), at(132, 95, RED), at(200, 95, RED), at(266, 95, RED))),
                new Edit("content a AudioOnly", s -> s.inputs.get(0).content = Content.AudioOnly,
                        List.of(at(200, 95, RED), at(132, 95, RED)),
                        List.of(at(200, 95, BLUE), at(132, 95, BLUE))),
                new Edit("content a AudioVideo", s -> s.inputs.get(0).content = Content.AudioVideo,
                        List.of(at(200, 95, BLUE)),
                        List.of(at(200, 95, RED), at(132, 95, RED), at(266, 144, RED), at(110, 95, BLUE))),
                new Edit("rect b moved over a", s -> s.inputs.get(1).rect = new Rect(150, 70, 250, 200),
                        List.of(at(40, 210, WHITE), at(200, 120, RED), at(160, 180, BLUE)),
                        List.of(at(40, 210, BLUE), at(200, 120, WHITE), at(160, 180, WHITE), at(156, 76, WHITE), at(244, 194, WHITE))),
                new Edit("layer a 0 -> 1", s -> s.inputs.get(0).rect.layer = 1,
                        List.of(at(200, 120, WHITE), at(156, 76, WHITE)),
                        List.of(at(200, 120, RED), at(156, 76, RED), at(160, 180, WHITE), at(240, 190, WHITE))),
                new Edit("background colour", s -> s.background = new Background("#00FF00", null),
                        List.of(at(20, 20, BLUE), at(40, 210, BLUE), at(110, 95, BLUE)),
                        List.of(at(20, 20, GREEN), at(40, 210, GREEN), at(110, 95, GREEN), at(200, 120, RED))),
                new Edit("background image", s -> s.background = new Background("#00FF00", yellow.toString()),
                        List.of(at(20, 20, GREEN), at(110, 95, GREEN)),
                        List.of(at(20, 20, YELLOW), at(110, 95, YELLOW), at(200, 120, RED), at(160, 180, WHITE))),
                new Edit("watermark", s -> {
                    s.watermark = new Watermark();
                    s.watermark.image = magenta.toString();
                    s.watermark.rect = new Rect(10, 160, 74, 224);
                }, List.of(at(40, 190, YELLOW)), List.of(at(40, 190, MAGENTA), at(20, 20, YELLOW), at(200, 120, RED))));

        List<Double> appliedAt = new ArrayList<>();
        MixEngine engine = EngineRun.start(MediaTools.copy(spec), dir);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.report().inputs().stream()
                    .allMatch(i -> WorkerReport.Input.LIVE.equals(i.state())));
            Thread.sleep(1000);
            long generation = 1;
            for (Edit e : edits) {
                e.change().accept(spec);
                long g = ++generation;
                long t0 = System.nanoTime();
                assertThat(engine.apply(new SpecSubmission(g, MediaTools.copy(spec)))).as(e.name()).isEmpty();
                assertThat((System.nanoTime() - t0) / 1e6).as("apply of %s, ms", e.name()).isLessThan(1000);
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    WorkerReport.UpdateResult u = engine.report().lastUpdate();
                    return u.generation() == g && u.appliedAt() != null;
                });
                WorkerReport.UpdateResult u = engine.report().lastUpdate();
                assertThat(u.message()).as(e.name()).isEqualTo("live");
                appliedAt.add(u.appliedAt());
                Thread.sleep(700);
            }
        } finally {
            engine.close();
        }

        int[] switchAt = appliedAt.stream().mapToInt(t -> (int) Math.round(t * FPS)).toArray();
        int n = edits.size();
        int[] checked = new int[n + 1];
        int[] bad = new int[n + 1];
        int[] firstOfState = new int[n + 1];
        java.util.Arrays.fill(firstOfState, -1);
        List<String> failures = new ArrayList<>();
        int first = switchAt[0] - FPS / 2;
        int frames = MediaTools.eachFrame(recorded, 320, 240, (i, seconds, p) -> {
            int index = (int) Math.round(seconds * FPS);
            if (index < first) {
                return;
            }
            int state = 0;
            while (state < n && index >= switchAt[state]) {
                state++;
            }
            if (firstOfState[state] < 0) {
                firstOfState[state] = index;
            }
            List<Probe> probes = new ArrayList<>();
            if (state > 0) {
                probes.addAll(edits.get(state - 1).after());
            }
            if (state < n) {
                probes.addAll(edits.get(state).before());
            }
            checked[state]++;
            List<String> wrong = new ArrayList<>();
            for (Probe pr : probes) {
                if (!p.is(pr.x(), pr.y(), pr.rgb(), TOL)) {
                    wrong.add(String.format("expected #%06X, got %s", pr.rgb(), p.describe(pr.x(), pr.y())));
                }
            }
            if (!wrong.isEmpty()) {
                bad[state]++;
                if (failures.size() < 20) {
                    failures.add(String.format("frame %d (%.3f s, after %d edits): %s", index, seconds, state, wrong));
                }
            }
        });
        StringBuilder table = new StringBuilder("LiveEditFramesMediaTest: every frame across each edit (" + frames
                + " frames recorded, " + FPS + " fps)\n");
        for (int k = 0; k < n; k++) {
            table.append(String.format("  %-26s switch frame %4d (mix %.3f s), first recorded frame of the new layout %4d; "
                            + "frames checked %3d before + %3d after, bad frames %d before + %d after%n",
                    edits.get(k).name(), switchAt[k], appliedAt.get(k), firstOfState[k + 1], checked[k], checked[k + 1],
                    bad[k], bad[k + 1]));
        }
        System.out.print(table);
        assertThat(failures).as(table.toString()).isEmpty();
        for (int k = 0; k < n; k++) {
            assertThat(firstOfState[k + 1]).as("the switch frame of %s is in the recording", edits.get(k).name()).isEqualTo(switchAt[k]);
            assertThat(checked[k + 1]).as("frames after %s", edits.get(k).name()).isGreaterThanOrEqualTo(FPS / 2);
        }
    }
}
