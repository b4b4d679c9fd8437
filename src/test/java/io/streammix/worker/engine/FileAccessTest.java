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

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.worker.engine.output.sink.OutputTarget;
import io.streammix.worker.engine.source.InputSource;

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

    /**
     * Issue 21, finding 2, leftover: the check and FFmpeg's open were not one step, so a symbolic link put on a shared
     * volume after the check (another pod on the same claim) was followed when FFmpeg opened the file, and the input read
     * a file outside its volume. Now the worker opens the real path it checked and keeps the input only if the file
     * FFmpeg holds is that path; an output's directory must still be its real path. Before: the swapped input opened
     * and its bytes (the "secret") were read.
     */
    @Test
    void aLinkSwappedInAfterTheCheckIsNotFollowed() throws Exception {
        io.streammix.worker.EngineRun.prepare();
        Path vol = Files.createDirectories(dir.resolve("vol"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("in.txt"), "token=abc\n".repeat(50));
        Path sub = Files.createDirectories(vol.resolve("sub"));
        Files.writeString(sub.resolve("in.txt"), "fine\n".repeat(50));
        Files.writeString(vol.resolve("in.txt"), "fine\n".repeat(50));
        Files.createDirectories(vol.resolve("rec"));
        FileAccess pod = FileAccess.forPod(spec("x", "y", null), dir.resolve("out"));
        try (AutoCloseable exact = io.streammix.worker.media.OpenedFiles.requireExactPaths()) {
            for (Path checked : new Path[] {vol.resolve("in.txt"), sub.resolve("in.txt")}) {
                MixTaskSpec s = spec(checked.toString(), vol.resolve("rec/out.mp4").toString(), null);
                assertThat(pod.confine(s)).isEmpty();
                String url = s.inputs.get(0).url;
                try (io.streammix.worker.media.Interrupter i = new io.streammix.worker.media.Interrupter()) {
                    io.streammix.worker.media.Demuxer.open(url, "tty", java.util.Map.of(), i, 2000, 2000, "in").close();
                }
                // Swapped after the check: the file itself, or a directory on the way.
                Path swapped = checked.getParent().equals(vol) ? checked : sub;
                Files.move(swapped, dir.resolve("moved-" + swapped.getFileName()));
                Files.createSymbolicLink(swapped, swapped == sub ? outside : outside.resolve("in.txt"));
                try (io.streammix.worker.media.Interrupter i = new io.streammix.worker.media.Interrupter()) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.streammix.worker.media.Demuxer.open(url, "tty",
                                    java.util.Map.of(), i, 2000, 2000, "spec.inputs[0]").close())
                            .as(url).isInstanceOf(io.streammix.worker.media.MediaException.class)
                            .hasMessage("spec.inputs[0]: refused: not allowed: the file is not where it was checked "
                                    + "(a symbolic link on the way?)");
                }
            }
        }
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

    /**
     * Issue 21, finding 2: a path checked before it is decoded. {@code %2E%2E} passed the check (a file named "%2E%2E"
     * inside the volume) and was decoded by the opener ({@link InputSource}, {@link OutputTarget}) into "..": an input
     * read a file outside its volume and an output wrote one. Whatever the spelling, either the field is refused or
     * what the opener opens is inside the volume.
     */
    @Test
    void encodedDotSegmentsNeitherReadNorWriteOutsideTheVolume() throws Exception {
        Path vol = Files.createDirectories(dir.resolve("vol"));
        Files.createDirectories(vol.resolve("sub"));
        Files.writeString(dir.resolve("spec.json"), "{\"token\":\"x\"}");
        Files.createSymbolicLink(vol.resolve("up"), dir);
        FileAccess pod = FileAccess.forPod(spec("x", "y", null), dir.resolve("out"));
        String v = "file://" + vol;
        List<String> escapes = List.of(v + "/%2E%2E/spec.json", v + "/%2e%2E/spec.json", v + "/sub/%2E%2E/%2E%2E/spec.json",
                v + "/%2E./spec.json", v + "/.%2e/spec.json", v + "/%252E%252E/spec.json", v + "/..%5Cspec.json",
                v + "/%2E%2E%2Fspec.json", v + "/..;/spec.json", v + "/up/spec.json", v + "/up/%2E%2E/x.mp4",
                vol + "/..\\spec.json", vol + "/up/spec.json");
        for (String url : escapes) {
            MixTaskSpec s = spec(url, url.replace("spec.json", "evil.mp4"), null);
            List<Violation> violations = pod.confine(s);
            if (violations.isEmpty()) {
                Path read = Path.of(InputSource.of(s.inputs.get(0), null).url()).toAbsolutePath().normalize();
                MixOutput out = s.outputs.get(0);
                Path written = OutputTarget.of(out, 0, dir.resolve("out")).file().toAbsolutePath().normalize();
                assertThat(real(read).startsWith(vol.toRealPath())).as("%s reads %s", url, read).isTrue();
                assertThat(real(written).startsWith(vol.toRealPath()))
                        .as("%s writes %s", url, written).isTrue();
            } else {
                assertThat(violations).as(url).extracting(Violation::field)
                        .contains("spec.inputs[0].url", "spec.outputs[0].url");
            }
        }
        List<Violation> refused = pod.confine(spec(v + "/%2E%2E/spec.json", v + "/%2E%2E/evil.mp4", null));
        assertThat(refused).extracting(Violation::field).containsExactly("spec.inputs[0].url", "spec.outputs[0].url");
        assertThat(refused.toString()).doesNotContain("spec.json").doesNotContain("evil");
    }

    /** Where a path lands: the real path of its nearest existing parent, the rest appended. */
    private static Path real(Path p) throws java.io.IOException {
        Path existing = p;
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing.toRealPath().resolve(existing.relativize(p));
    }
}
