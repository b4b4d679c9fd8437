package io.streammix.worker.recording;

import org.junit.jupiter.api.Test;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, finding 5: the recording code logged file names and S3 keys derived from the output's URL, which may be a
 * Secret's value. Its log lines keep only what the worker added (the rotation's stamp and number) and exceptions' kinds.
 */
class LoggedFileTest {
    @Test
    void logNamesKeepTheRotationNotTheOutputsName() {
        String secret = "acme-q3-private-board";
        assertThat(LoggedFile.name(Path.of("/rec/" + secret + "-20260101-000000-0001.mp4"))).isEqualTo("…-20260101-000000-0001.mp4");
        assertThat(LoggedFile.name(Path.of("/rec/" + secret + "-20260101-000000-earlier.mkv"))).doesNotContain(secret);
        assertThat(LoggedFile.name(Path.of("/rec/" + secret + ".mp4"))).isEqualTo("(file).mp4");
        assertThat(LoggedFile.name(Path.of("/rec/" + secret))).isEqualTo("(file)");
        assertThat(LoggedFile.why(new NoSuchFileException("/rec/" + secret + ".mp4"))).isEqualTo("NoSuchFileException")
                .doesNotContain(secret);
    }
}
