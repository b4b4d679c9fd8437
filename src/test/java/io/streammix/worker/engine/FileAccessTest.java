package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.WorkerOverrides;
import io.streammix.api.v1alpha1.WorkerVolume;
import io.streammix.api.validation.Violation;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, finding 3 (plain paths may name the worker's own files): in a pod the worker opens files only under the
 * task's volumes and its output directory, after following symbolic links, whatever reached it (a urlFrom value, a spec
 * from an older API server).
 */
class FileAccessTest {
    @TempDir
    Path dir;

    private MixTaskSpec spec(String inputUrl, String outputUrl, String background) {
        MixTaskSpec s = MediaTools.spec(List.of(input("cam", inputUrl, 0, 0, 320, 240, 0)),
                List.of(MediaTools.fileOutput("main", Path.of("x.mp4"), 320, 240, 15)));
        s.outputs.get(0).url = outputUrl;
        s.background = new Background("#000000", background);
        s.worker = new WorkerOverrides();
        s.worker.volumes = List.of(new WorkerVolume("rec", "rec", dir.resolve("vol").toString()));
        return s;
    }

    @Test
    void filesOutsideTheVolumesAreRefusedNamingTheFieldAndLinksAreFollowed() throws Exception {
        Path vol = Files.createDirectories(dir.resolve("vol"));
        Path secret = Files.writeString(dir.resolve("spec.json"), "{\"token\":\"x\"}");
        Files.createSymbolicLink(vol.resolve("link.mp4"), secret);
        Files.createSymbolicLink(vol.resolve("dangling.mp4"), dir.resolve("elsewhere.mp4"));
        FileAccess pod = FileAccess.forPod(spec("x", "y", null), dir.resolve("out"));

        MixTaskSpec bad = spec(secret.toString(), vol.resolve("dangling.mp4").toString(), "file://" + vol.resolve("link.mp4"));
        List<Violation> v = pod.confine(bad);
        assertThat(v).extracting(Violation::field)
                .containsExactly("spec.inputs[0].url", "spec.outputs[0].url", "spec.background.image");
        assertThat(v.toString()).doesNotContain(secret.toString());

        MixTaskSpec good = spec(vol.resolve("in.mp4").toString(), "out.mp4", "file://" + vol.resolve("bg.png"));
        assertThat(pod.confine(good)).isEmpty();
        assertThat(good.outputs.get(0).url).as("a relative path lands in the output directory")
                .isEqualTo(dir.resolve("out").resolve("out.mp4").toString());
        assertThat(pod.confine(spec("synthetic:testsrc", "rtmp://h/app/k", null))).isEmpty();

        assertThat(FileAccess.ANYWHERE.confine(spec(secret.toString(), "/etc/x.mp4", null))).as("local run, tests").isEmpty();
    }
}
