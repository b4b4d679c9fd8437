package io.streammix.local;

import com.sun.net.httpserver.HttpServer;
import io.streammix.api.ExampleFiles;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.MediaTools.Picture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.streammix.local.ExampleRuns.TOL;
import static io.streammix.local.ExampleRuns.assertColour;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every example whose inputs are all synthetic (or files) through the README's local run for a few seconds
 * of media (those whose inputs are streams: {@link StreamInputExamplesMediaTest}), and probes what it wrote: each
 * output's codecs, size, fps and channels as the example asks, and pixels where the example says something is
 * drawn. Outputs are redirected to files in a temp dir (on a cluster they go to the worker's media port or a media
 * server); image URLs of {@code static.example.com} are served by a loopback HTTP server, so background and watermark
 * images are really fetched.
 */
class ExamplesRunMediaTest {
    private static HttpServer images;

    @TempDir
    Path dir;

    @BeforeAll
    static void serveImages() throws IOException {
        EngineRun.prepare();
        images = ExampleRuns.serveImages();
    }

    @AfterAll
    static void stopImages() {
        images.stop(0);
    }

    static Stream<Path> runnableExamples() throws IOException {
        return ExampleRuns.localExamples().stream();
    }

    /** Examples no test runs, with the reason (every other one is run, here or on loopback feeds). */
    static final Map<String, String> NOT_RUN = Map.of();

    @Test
    void everyExampleIsRunOrSaysWhyNot() throws IOException {
        List<String> here = runnableExamples().map(p -> p.getFileName().toString()).toList();
        assertThat(here).contains("synthetic-demo.yaml", "picture-in-picture.yaml", "grid-3x3.yaml",
                "background-watermark.yaml", "h265-crf.yaml", "multi-output-ladder.yaml", "recording-pvc.yaml");
        for (Path p : ExampleFiles.all()) {
            String name = p.getFileName().toString();
            int ways = (here.contains(name) ? 1 : 0) + (StreamInputExamplesMediaTest.EXAMPLES.contains(name) ? 1 : 0)
                    + (NOT_RUN.containsKey(name) ? 1 : 0);
            assertThat(ways).as(name + ": run here (inputs synthetic or files), on loopback feeds "
                    + "(StreamInputExamplesMediaTest.EXAMPLES) or listed in NOT_RUN with the reason").isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnableExamples")
    void exampleRunsAndItsOutputsAreWhatItAsks(Path example) throws Exception {
        ExampleRuns.Prepared prepared = ExampleRuns.prepare(example, dir, images);
        List<Path> files = prepared.files();
        Path file = Files.writeString(dir.resolve(example.getFileName()), prepared.yaml());

        ExampleRuns.Run run = ExampleRuns.run(ExampleRuns.args(file, 3).toArray(String[]::new));

        assertThat(run.code()).as("LocalRun exit code; it printed:\n" + run.printed()).isZero();
        for (int i = 0; i < files.size(); i++) {
            ExampleRuns.assertOutputMatches(prepared.outputs().get(i), files.get(i), 3);
        }
        assertPictures(example.getFileName().toString(), files);
    }

    /** What each example draws where. */
    private static void assertPictures(String example, List<Path> files) throws Exception {
        switch (example) {
            case "picture-in-picture.yaml" -> {
                Picture p = MediaTools.frameAt(files.get(0), 2.0, 1280, 720);
                assertColour(p, 1060, 579, 0x2060C0, "the guest, drawn over the speaker");
                assertThat(p.is(400, 300, 0x2060C0, TOL)).as("the speaker's picture elsewhere").isFalse();
            }
            case "grid-3x3.yaml" -> {
                Picture p = MediaTools.frameAt(files.get(0), 2.0, 960, 540);
                int[][] cells = {{160, 90, 0xC03030}, {480, 90, 0x30C030}, {800, 90, 0x3030C0}, {160, 270, 0xC0C030},
                        {800, 270, 0x30C0C0}, {160, 450, 0xC030C0}, {480, 450, 0xE0E0E0}, {800, 450, 0x806040}};
                for (int[] c : cells) {
                    assertColour(p, c[0], c[1], c[2], "grid cell at " + c[0] + "," + c[1]);
                }
                assertColour(p, 332, 450, 0x101010, "p8 is 4:3 in Fit: a background bar at the left of its cell");
            }
            case "background-watermark.yaml" -> {
                Picture p = MediaTools.frameAt(files.get(0), 2.0, 1280, 720);
                assertColour(p, 60, 60, ExampleRuns.BACKDROP, "the backdrop image around the host's window");
                assertColour(p, 1170, 65, ExampleRuns.LOGO, "the logo in the watermark rect");
                assertThat(p.is(640, 360, ExampleRuns.BACKDROP, TOL)).as("the host's picture in the middle").isFalse();
            }
            case "multi-output-ladder.yaml" -> {
                // The 480p rendition is the 720p canvas scaled: the red right input at 3/4 width, the background above.
                Picture p = MediaTools.frameAt(files.get(1), 2.0, 854, 480);
                assertColour(p, 640, 240, 0xC03030, "480p: the right input, scaled");
                assertColour(p, 427, 40, 0x202040, "480p: the background band above the inputs");
            }
            default -> {
                // codecs, sizes and fps are checked for every example
            }
        }
    }
}
