package io.streammix.worker.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outputs in a pod (issue 21, finding 2): a file is created only when its directory is still the real path that was
 * checked and the file is no link; outside a pod (no exact paths) links are followed as before. Inputs:
 * {@code FileAccessTest.aLinkSwappedInAfterTheCheckIsNotFollowed}.
 */
class OpenedFilesTest {
    @TempDir
    Path dir;

    @Test
    void anOutputWhoseDirectoryBecameALinkIsRefused() throws Exception {
        Path rec = Files.createDirectories(dir.resolve("vol/rec"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("vol/link"), outside);
        Files.createSymbolicLink(rec.resolve("file-link.mp4"), outside.resolve("x.mp4"));
        assertThat(OpenedFiles.outputRefusal(dir.resolve("vol/link/out.mp4").toString())).as("not in a pod").isNull();
        try (AutoCloseable exact = OpenedFiles.requireExactPaths()) {
            assertThat(OpenedFiles.outputRefusal(rec.resolve("out.mp4").toString())).isNull();
            assertThat(OpenedFiles.outputRefusal("rtmp://h/app/k")).isNull();
            assertThat(OpenedFiles.outputRefusal(dir.resolve("vol/link/out.mp4").toString())).startsWith("not allowed");
            assertThat(OpenedFiles.outputRefusal(rec.resolve("file-link.mp4").toString())).startsWith("not allowed");
        }
    }
}
