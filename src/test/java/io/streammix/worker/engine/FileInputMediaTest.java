package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;

/** File inputs: a looped file keeps showing; a file that is not looped ends and leaves its rect to the background. */
class FileInputMediaTest {
    @TempDir
    Path dir;

    @Test
    void loopedFileKeepsPlayingAndUnloopedFileEnds() throws Exception {
        Path clip = dir.resolve("clip.mp4");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=lime:size=320x240:rate=15", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000", "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                clip.toString());
        MixInput looped = input("looped", "file://" + clip, 0, 0, 160, 120, 0);
        looped.loop = true;
        MixInput once = input("once", clip.toString(), 160, 0, 320, 120, 0);
        Path out = dir.resolve("files.mp4");
        MixTaskSpec spec = MediaTools.spec(List.of(looped, once), List.of(MediaTools.fileOutput("main", out, 320, 120, 15)));

        var engine = EngineRun.start(spec, dir);
        Thread.sleep(3500);
        var report = engine.report();
        engine.close();

        assertThat(report.inputs().get(0).state()).isEqualTo(WorkerReport.Input.LIVE);
        assertThat(report.inputs().get(1).state()).isEqualTo(WorkerReport.Input.LOST);
        assertThat(report.inputs().get(1).reason()).isEqualTo("end of file");
        MediaTools.Picture early = MediaTools.frameAt(out, 0.7, 320, 120);
        MediaTools.Picture late = MediaTools.frameAt(out, 2.8, 320, 120);
        assertThat(early.is(240, 60, 0x00FF00, 40)).as("unlooped file while it plays: " + early.describe(240, 60)).isTrue();
        assertThat(late.is(80, 60, 0x00FF00, 40)).as("looped file after three passes: " + late.describe(80, 60)).isTrue();
        assertThat(late.is(240, 60, 0x000000, 40)).as("ended file's rect is background: " + late.describe(240, 60)).isTrue();
        short[] pcm = MediaTools.pcm(out, 2.0, 1.0);
        assertThat(MediaTools.tone(pcm, 440)).as("looped file's tone still in the mix").isGreaterThan(0.05);
    }
}
