package io.streammix.worker.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.Recording;
import io.streammix.api.v1alpha1.S3Upload;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerProcess;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.MixEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Files a worker could not upload (S3 down, then SIGKILL) are uploaded by the next worker on the same volume,
 * each once, against a real S3 protocol server in this JVM (S3Proxy); files marked as uploaded never go again.
 */
class EarlierUploadsTest {
    static final String BUCKET = "backlog";
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

    private static MixOutput rotatingUpload(Path file, S3Upload upload) {
        MixOutput out = MediaTools.fileOutput("rec", file, 320, 240, 15);
        out.recording = new Recording();
        out.recording.rotateAfterSeconds = 2;
        out.recording.upload = upload;
        return out;
    }

    private static List<Path> recordings(Path dir) throws Exception {
        try (var all = Files.list(dir)) {
            return all.filter(p -> p.getFileName().toString().matches("rec-.*\\.mp4")).sorted().toList();
        }
    }

    @Test
    void filesAKilledWorkerCouldNotUploadAreUploadedByTheNextWorkerEachOnceAndNeverAgain() throws Exception {
        Path rec = dir.resolve("vol").resolve("rec.mp4");
        // Worker 1, a process: S3 is down (nothing listens at the endpoint); killed with SIGKILL mid-file.
        S3Upload down = s3.upload(BUCKET, "task/");
        down.endpoint = "http://127.0.0.1:" + MediaTools.freePort();
        Path log = dir.resolve("worker1.log");
        JsonNode atKill = runAndKill(rotatingUpload(rec, down), log);
        List<Path> earlier = recordings(rec.getParent());
        assertThat(earlier).as("finished files and the one open at the SIGKILL").hasSizeGreaterThanOrEqualTo(3);
        assertThat(atKill.get("uploads").get(0).get("attempts").asInt()).isPositive();
        assertThat(atKill.get("uploads").get(0).get("state").asText()).isNotEqualTo(WorkerReport.FileUpload.UPLOADED);
        assertThat(earlier).noneMatch(UploadMarker::exists);
        assertThat(keys("task/")).isEmpty();
        // Issue 21: the log names the rotation, not the file name (which derives from the output URL, maybe a Secret).
        assertThat(Files.readString(log)).contains("upload of …-").doesNotContain("upload of rec-")
                .doesNotContain(InJvmS3.SECRET_KEY).doesNotContain(InJvmS3.ACCESS_KEY);
        Path killedOpen = earlier.get(earlier.size() - 1);
        byte[] killedBytes = Files.readAllBytes(killedOpen);

        // Worker 2, same volume, S3 up: the earlier files go first, while it records its own.
        EngineRun.prepare();
        WorkerReport.Output second;
        long started = System.nanoTime();
        MixEngine engine = start(rotatingUpload(rec, s3.upload(BUCKET, "task/")));
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> uploaded(engine.report().outputs().get(0), earlier));
            long bytes = 0;
            for (Path f : earlier) {
                bytes += Files.size(f);
            }
            System.out.printf("backlog: %d files of the killed worker (%d bytes) uploaded %d ms after the next engine started%n",
                    earlier.size(), bytes, (System.nanoTime() - started) / 1_000_000);
            second = engine.report().outputs().get(0);
        } finally {
            engine.close();
        }
        for (Path f : earlier) {
            assertThat(second.uploads().stream().filter(u -> u.file().equals(f.toString())).toList())
                    .as("uploads of " + f.getFileName()).singleElement().satisfies(u -> {
                        assertThat(u.state()).isEqualTo(WorkerReport.FileUpload.UPLOADED);
                        assertThat(u.attempts()).isEqualTo(1);
                        assertThat(u.object()).isEqualTo("s3://" + BUCKET + "/task/" + f.getFileName());
                    });
            assertThat(UploadMarker.of(f)).exists().content().contains("object=s3\\://" + BUCKET + "/task/" + f.getFileName());
        }
        assertThat(second.uploads().subList(0, earlier.size())).as("the backlog is queued first")
                .extracting(WorkerReport.FileUpload::file).containsExactlyElementsOf(earlier.stream().map(Path::toString).toList());
        List<Path> all = recordings(rec.getParent());
        assertThat(all).hasSizeGreaterThan(earlier.size()).allMatch(UploadMarker::exists);
        assertThat(keys("task/")).containsExactlyElementsOf(all.stream().map(f -> "task/" + f.getFileName()).toList());
        // The file open at the SIGKILL, as it was left, is in the bucket and plays.
        Path back = dir.resolve("back.mp4");
        s3.download(BUCKET, "task/" + killedOpen.getFileName(), back);
        assertThat(Files.readAllBytes(back)).isEqualTo(killedBytes);
        assertThat(MediaTools.stream(MediaTools.probe(back), "video").get("codec_name").asText()).isEqualTo("h264");
        assertThat(RecordingMediaTest.decodedFrames(back)).isPositive();

        // Worker 3: everything on the volume is marked; replacing two objects in the bucket shows whether any is sent
        // again (the backlog of worker 1, and a file worker 2 uploaded on its stop).
        byte[] sentinel = "not sent again".getBytes();
        Path lastOfSecond = all.get(all.size() - 1);
        s3.put(BUCKET, "task/" + earlier.get(0).getFileName(), sentinel);
        s3.put(BUCKET, "task/" + lastOfSecond.getFileName(), sentinel);
        MixEngine third = start(rotatingUpload(rec, s3.upload(BUCKET, "task/")));
        WorkerReport.Output thirdReport;
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> third.report().outputs().get(0).frames() > 15);
            thirdReport = third.report().outputs().get(0);
        } finally {
            third.close();
        }
        Set<String> before = Set.copyOf(all.stream().map(Path::toString).toList());
        assertThat(thirdReport.uploads()).noneMatch(u -> before.contains(u.file()));
        assertThat(s3.bytes(BUCKET, "task/" + earlier.get(0).getFileName())).isEqualTo(sentinel);
        assertThat(s3.bytes(BUCKET, "task/" + lastOfSecond.getFileName())).isEqualTo(sentinel);
    }

    @Test
    void anEarlierFileAlreadyInTheBucketIsMarkedWithoutBeingSentAgainAndAMarkedFileIsSkipped() throws Exception {
        // A worker stopped between its upload and the marker: the object is there, the marker is not.
        Path f = Files.write(dir.resolve("rec-20261121-040000-0000.mp4"), "0123456789".getBytes());
        byte[] sameSize = "ABCDEFGHIJ".getBytes();
        s3.put(BUCKET, "k/" + f.getFileName(), sameSize);
        Path g = Files.write(dir.resolve("rec-20261121-040000-0001.mp4"), "abc".getBytes());
        UploadMarker.write(g, "s3://" + BUCKET + "/k/" + g.getFileName(), "\"etag\"", 3);
        try (S3FileUploader u = new S3FileUploader(s3.upload(BUCKET, "k/"), InJvmS3.credentials(), "rec", S3FileUploader.DEFAULT_PART_SIZE, 10)) {
            u.submitEarlier(f);
            u.submitEarlier(g);
            u.drain(30_000);
            assertThat(u.states()).allSatisfy(s -> {
                assertThat(s.state()).isEqualTo(WorkerReport.FileUpload.UPLOADED);
                assertThat(s.attempts()).isZero();
            });
        }
        assertThat(s3.bytes(BUCKET, "k/" + f.getFileName())).isEqualTo(sameSize);
        assertThat(UploadMarker.covers(f)).isTrue();
        assertThat(s3.keys(BUCKET)).doesNotContain("k/" + g.getFileName());
    }

    @Test
    void earlierFilesAreThoseOfOtherRunsWithoutAMarker() throws Exception {
        dir = dir.toAbsolutePath();
        Path rec = dir.resolve("rec.mp4");
        Path a = touch("rec-20261121-040000-0000.mp4", 100);
        Path b = touch("rec-20261121-040000-0001.mp4", 90); // open at a SIGKILL: not in any list, still finished
        Path marked = touch("rec-20261121-040000-0002.mp4", 80);
        UploadMarker.write(marked, "s3://b/rec-20261121-040000-0002.mp4", "e", Files.size(marked));
        Path stale = touch("rec-20261121-040000-0003.mp4", 70);
        UploadMarker.write(stale, "s3://b/x", "e", 1); // written for another content at that path
        Path plain = touch("rec.mp4", 60); // from a run without rotation
        touch("other-20261121-040000-0000.mp4", 50);
        touch("rec-20261121-040000-0000.mkv", 50);
        touch("rec-20261121-050000-0000.mp4", 40); // this run's own name
        RecordingPlan rotating = new RecordingPlan(rec, dir.resolve("rec-20261121-050000-%04d.mp4").toString(), dir.resolve("l.csv"),
                2, null, s3.upload(BUCKET, null), InJvmS3.credentials());
        assertThat(EarlierRecordings.find(rotating)).containsExactly(a, b, stale, plain);
        // A run starting in a second whose names are taken is named after the next free second.
        assertThat(EarlierRecordings.unusedStart(rec, Instant.parse("2026-11-21T05:00:00.400Z"))).isEqualTo("2026-11-21T05:00:01.400Z");
        assertThat(EarlierRecordings.unusedStart(rec, Instant.parse("2026-11-21T04:59:59Z"))).isEqualTo("2026-11-21T04:59:59Z");

        // Without rotation the new run writes rec.mp4 again: the earlier one, not uploaded, is kept under its own name.
        RecordingPlan single = new RecordingPlan(rec, null, null, null, null, s3.upload(BUCKET, null), InJvmS3.credentials());
        List<Path> found = EarlierRecordings.find(single);
        assertThat(rec).doesNotExist();
        Path aside = found.stream().filter(p -> p.getFileName().toString().contains("earlier")).findFirst().orElseThrow();
        assertThat(aside.getFileName().toString()).matches("rec-\\d{8}-\\d{6}-earlier\\.mp4");
        assertThat(aside).hasContent("rec.mp4");
        // Every rotated file of earlier runs counts here, oldest first (a run with rotation before this one).
        assertThat(found).containsExactly(a, b, stale, aside, dir.resolve("rec-20261121-050000-0000.mp4"));
        // ... an uploaded one loses its marker: the path is about to hold another recording.
        Path again = Files.writeString(rec, "uploaded");
        UploadMarker.write(again, "s3://b/rec.mp4", "e", Files.size(again));
        assertThat(EarlierRecordings.find(single)).doesNotContain(rec).contains(aside);
        assertThat(rec).exists();
        assertThat(UploadMarker.of(rec)).doesNotExist();
    }

    private List<String> keys(String prefix) {
        return s3.keys(BUCKET).stream().filter(k -> k.startsWith(prefix)).toList();
    }

    private Path touch(String name, int secondsAgo) throws Exception {
        Path p = Files.writeString(dir.resolve(name), name);
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
        return p;
    }

    private static boolean uploaded(WorkerReport.Output o, List<Path> files) {
        List<WorkerReport.FileUpload> u = o.uploads();
        Predicate<Path> done = f -> u != null && u.stream().anyMatch(x -> x.file().equals(f.toString())
                && x.state().equals(WorkerReport.FileUpload.UPLOADED));
        return files.stream().allMatch(done);
    }

    private MixEngine start(MixOutput out) {
        return MixEngine.start(new SpecSubmission(1, RecordingMediaTest.spec(out), Map.of("rec", InJvmS3.credentials())),
                new MixEngine.Config(dir, null));
    }

    /** Runs a worker process until it has finished two files and is writing a third, then SIGKILLs it; its last status. */
    private JsonNode runAndKill(MixOutput out, Path log) throws Exception {
        WorkerProcess run = WorkerProcess.start(dir,
                new SpecSubmission(1, RecordingMediaTest.spec(out), Map.of("rec", InJvmS3.credentials())), "t", log);
        Process worker = run.process();
        try {
            JsonNode[] last = new JsonNode[1];
            await().atMost(Duration.ofSeconds(40)).ignoreExceptions().until(() -> {
                JsonNode o = run.status().get("outputs").get(0);
                last[0] = o;
                // Two finished, the third one a second in; the first upload has failed at least once.
                return o.get("files").size() >= 3 && o.get("uploads").get(0).get("attempts").asInt() >= 1;
            });
            Thread.sleep(1000);
            return last[0];
        } finally {
            worker.destroyForcibly(); // SIGKILL: no trailer, no upload drain
            assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
