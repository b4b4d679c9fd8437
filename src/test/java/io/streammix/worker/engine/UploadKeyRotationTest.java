package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * New values from Secrets under an unchanged spec (the operator pushes them with the same generation and a new
 * digest): an output whose upload keys changed is reopened, so its uploader uses the new keys; the others are
 * untouched; the report echoes the digest the operator compares.
 */
class UploadKeyRotationTest {

    @TempDir
    Path dir;

    @Test
    void changedUploadKeysReopenOnlyThatOutputAndTheReportEchoesTheDigest() throws Exception {
        MixTaskSpec spec = MediaTools.spec(List.of(MediaTools.input("cam", "synthetic:testsrc?size=160x120&fps=15", 0, 0, 160, 120, 0)),
                List.of(MediaTools.fileOutput("a", dir.resolve("a.mkv"), 160, 120, 15),
                        MediaTools.fileOutput("b", dir.resolve("b.mkv"), 160, 120, 15)));
        var keyOne = new SpecSubmission.S3Credentials("AKIA-ONE", "secret-one");
        var keyTwo = new SpecSubmission.S3Credentials("AKIA-TWO", "secret-two");
        EngineRun.prepare();
        MixEngine engine = MixEngine.start(new SpecSubmission(1, MediaTools.copy(spec), Map.of("a", keyOne), "digest-1"),
                new MixEngine.Config(dir, null));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.report().outputs().stream()
                    .allMatch(o -> WorkerReport.Output.LIVE.equals(o.state())));
            assertThat(engine.report().specDigest()).isEqualTo("digest-1");

            assertThat(engine.apply(new SpecSubmission(1, MediaTools.copy(spec), Map.of("a", keyOne), "digest-1"))).isEmpty();
            assertThat(engine.report().lastUpdate().message()).as("same keys: nothing reopened").isEqualTo("live");

            assertThat(engine.apply(new SpecSubmission(1, MediaTools.copy(spec), Map.of("a", keyTwo), "digest-2"))).isEmpty();
            assertThat(engine.report().lastUpdate().message()).isEqualTo("live; outputs restarted: a");
            assertThat(engine.report().specDigest()).isEqualTo("digest-2");
            assertThat(engine.report().generation()).isEqualTo(1);
        } finally {
            engine.close();
        }
    }

}
