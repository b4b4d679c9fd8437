package io.streammix.worker.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.Recording;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.MixEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Uploads to a real S3-compatible server running in this JVM (S3Proxy), downloaded back and probed. */
class RecordingUploadTest {
    static final String BUCKET = "recordings";
    static InJvmS3 s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new InJvmS3(BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void rotatedFilesAreUploadedAsTheyCloseAndTheLastOnStopAndTheObjectsPlay() throws Exception {
        EngineRun.prepare();
        MixOutput out = MediaTools.fileOutput("rec", dir.resolve("up.mp4"), 320, 240, 15);
        out.recording = new Recording();
        out.recording.rotateAfterSeconds = 2;
        out.recording.upload = s3.upload(BUCKET, "task-a/");
        MixEngine engine = MixEngine.start(new SpecSubmission(1, RecordingMediaTest.spec(out), Map.of("rec", InJvmS3.credentials())),
                new MixEngine.Config(dir, null));
        WorkerReport.Output running;
        try {
            // The first file is uploaded while the recording goes on.
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                List<WorkerReport.FileUpload> u = engine.report().outputs().get(0).uploads();
                return u != null && !u.isEmpty() && u.get(0).state().equals(WorkerReport.FileUpload.UPLOADED);
            });
            running = engine.report().outputs().get(0);
        } finally {
            engine.close();
        }
        assertThat(running.uploads().get(0).object()).startsWith("s3://recordings/task-a/up-").endsWith("-0000.mp4");
        assertThat(running.uploads().get(0).attempts()).isEqualTo(1);

        List<Path> files;
        try (var all = Files.list(dir)) {
            files = all.filter(p -> p.getFileName().toString().matches("up-.*\\.mp4")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(2);
        // Each uploaded file is marked, so that no later worker uploads it again (EarlierUploadsTest).
        assertThat(files).allSatisfy(f -> assertThat(UploadMarker.covers(f)).isTrue());
        // Every file, the last one included (uploaded on stop), is in the bucket with the same bytes, and plays.
        assertThat(s3.keys(BUCKET).stream().filter(k -> k.startsWith("task-a/")).toList()).containsExactlyElementsOf(files.stream().map(f -> "task-a/" + f.getFileName()).toList());
        for (Path f : files) {
            Path back = dir.resolve("downloaded-" + f.getFileName());
            s3.download(BUCKET, "task-a/" + f.getFileName(), back);
            assertThat(back).hasSameBinaryContentAs(f);
            JsonNode probe = MediaTools.probe(back);
            assertThat(MediaTools.stream(probe, "video").get("codec_name").asText()).isEqualTo("h264");
            assertThat(RecordingMediaTest.decodedFrames(back)).isPositive();
        }
    }

    @Test
    void largeFilesGoAsMultipartUploadsAndCanBeDeletedAfterwards() throws Exception {
        Path big = dir.resolve("big.mkv");
        byte[] data = new byte[11 * 1024 * 1024 + 123];
        new Random(7).nextBytes(data);
        Files.write(big, data);
        var upload = s3.upload(BUCKET, "multi/");
        upload.deleteAfterUpload = true;
        // 5 MiB parts (S3's minimum): three parts, the last one short.
        try (S3FileUploader u = new S3FileUploader(upload, InJvmS3.credentials(), "big", 5 * 1024 * 1024, 10)) {
            u.submit(big);
            u.drain(60_000);
            assertThat(u.states()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(WorkerReport.FileUpload.UPLOADED);
                assertThat(s.object()).isEqualTo("s3://recordings/multi/big.mkv");
            });
        }
        assertThat(big).doesNotExist();
        assertThat(UploadMarker.of(big)).as("the marker goes with the file").doesNotExist();
        Path back = dir.resolve("back.mkv");
        s3.download(BUCKET, "multi/big.mkv", back);
        assertThat(Files.readAllBytes(back)).isEqualTo(data);
    }

    @Test
    void wrongKeysFailAfterRetriesWithAReasonThatShowsNeitherKey() throws Exception {
        Path f = Files.writeString(dir.resolve("small.mp4"), "not really a video");
        var creds = new SpecSubmission.S3Credentials("AKIDWRONGWRONG", "wrong/secret/key");
        try (S3FileUploader u = new S3FileUploader(s3.upload(BUCKET, "x/"), creds, "bad", S3FileUploader.DEFAULT_PART_SIZE, 10)) {
            u.submit(f);
            u.drain(60_000);
            assertThat(u.states()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(WorkerReport.FileUpload.FAILED);
                assertThat(s.attempts()).isEqualTo(S3FileUploader.ATTEMPTS);
                assertThat(s.reason()).isNotBlank().doesNotContain("AKIDWRONGWRONG").doesNotContain("wrong/secret/key");
            });
        }
        assertThat(f).exists();
        assertThat(s3.keys(BUCKET)).noneMatch(k -> k.startsWith("x/"));
    }
}
