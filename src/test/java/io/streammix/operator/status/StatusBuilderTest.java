package io.streammix.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.Tasks;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StatusBuilderTest {

    static MixTask task() {
        MixTask task = Tasks.mixTask("ns", "a");
        task.getMetadata().setGeneration(1L);
        return task;
    }

    static Observation seen(WorkerReport report, Optional<Pod> pod, Instant now) {
        return new Observation(Optional.empty(), Optional.empty(), true, pod, Optional.ofNullable(report), "refused", now);
    }

    @Test
    void transitionTimeMovesOnlyOnTransitionsAndMixDurationNeverGoesBack() {
        MixTask task = task();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        MixTaskStatus starting = StatusBuilder.build(task, null, seen(null, Optional.empty(), t0));
        assertThat(starting.phase).isEqualTo(Phase.Starting);
        String readyFalseSince = Conditions.find(starting.conditions, Conditions.READY).orElseThrow().getLastTransitionTime();

        WorkerReport running = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:05Z", 0, 1, null, null, null, null, null);
        MixTaskStatus r1 = StatusBuilder.build(task, starting, seen(running, Optional.empty(), t0.plusSeconds(20)));
        MixTaskStatus r2 = StatusBuilder.build(task, r1, seen(running, Optional.empty(), t0.plusSeconds(30)));
        assertThat(r1.phase).isEqualTo(Phase.Running);
        assertThat(r1.mixDuration).isEqualTo(15);
        assertThat(r2.mixDuration).isEqualTo(25);
        assertThat(readyFalseSince).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(Conditions.find(r2.conditions, Conditions.READY).orElseThrow().getLastTransitionTime()).isEqualTo("2026-01-01T00:00:20Z");

        // A restarted worker with a later startedAt: startTime and mixDuration carry on.
        WorkerReport restarted = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:29Z", 0, 1, null, null, null, null, null);
        MixTaskStatus r3 = StatusBuilder.build(task, r2, seen(restarted, Optional.empty(), t0.plusSeconds(31)));
        assertThat(r3.startTime).isEqualTo("2026-01-01T00:00:05Z");
        assertThat(r3.mixDuration).isEqualTo(26);
    }

    @Test
    void crashLoopingPodIsFailedAndLostInputDegraded() {
        Pod pod = new PodBuilder().withNewMetadata().withName("mt-a-123").endMetadata()
                .withNewStatus().addNewContainerStatus().withRestartCount(4).withNewState().withNewWaiting()
                .withReason("CrashLoopBackOff").endWaiting().endState().endContainerStatus().endStatus().build();
        MixTaskStatus failed = StatusBuilder.build(task(), null, seen(null, Optional.of(pod), Instant.now()));
        assertThat(failed.phase).isEqualTo(Phase.Failed);
        assertThat(failed.worker.restarts).isEqualTo(4);
        assertThat(Conditions.find(failed.conditions, Conditions.READY).orElseThrow().getMessage()).contains("CrashLoopBackOff");

        WorkerReport lost = FakeWorker.withInputState(1, 10, Tasks.INPUTS, Tasks.OUTPUTS, "cam1");
        MixTaskStatus degraded = StatusBuilder.build(task(), null, seen(lost, Optional.empty(), Instant.now()));
        assertThat(degraded.phase).isEqualTo(Phase.Degraded);
        assertThat(Conditions.find(degraded.conditions, Conditions.DEGRADED).orElseThrow().getMessage()).isEqualTo("input 'cam1' lost");
        assertThat(degraded.inputs.get(0).reason).doesNotContain("secret-host");
    }

    @Test
    void aLostInputsRetryScheduleReachesTheStatusAsTheWorkerReportedIt() {
        WorkerReport report = new WorkerReport(WorkerReport.DEGRADED, "2026-01-01T00:00:05Z", 5, 1, null,
                List.of(new WorkerReport.Input("cam1", WorkerReport.Input.LOST, "2026-01-01T00:00:09Z", "cam1: the stream ended",
                        null, "2026-01-01T00:00:08Z", "2026-01-01T00:00:10.500Z", 3)), null, null, null);
        MixTaskStatus s = StatusBuilder.build(task(), null, seen(report, Optional.empty(), Instant.parse("2026-01-01T00:00:10Z")));
        var in = s.inputs.get(0);
        assertThat(in.state).isEqualTo(WorkerReport.Input.LOST);
        assertThat(in.lostSince).isEqualTo("2026-01-01T00:00:08Z");
        assertThat(in.nextAttemptAt).isEqualTo("2026-01-01T00:00:10.500Z");
        assertThat(in.attempts).isEqualTo(3);
        assertThat(in.reason).isEqualTo("cam1: the stream ended");
        // A live input has no retry schedule: the fields are absent from the status, not zero.
        WorkerReport live = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:05Z", 5, 1, null,
                List.of(new WorkerReport.Input("cam1", WorkerReport.Input.LIVE, "2026-01-01T00:00:11Z", null, 25.0)), null, null, null);
        var back = StatusBuilder.build(task(), s, seen(live, Optional.empty(), Instant.parse("2026-01-01T00:00:12Z"))).inputs.get(0);
        assertThat(back.lostSince).isNull();
        assertThat(back.nextAttemptAt).isNull();
        assertThat(back.attempts).isNull();
    }

    private static String specApplied(MixTaskStatus s) {
        var c = Conditions.find(s.conditions, Conditions.SPEC_APPLIED).orElseThrow();
        return c.getStatus() + "/" + c.getReason() + ": " + c.getMessage();
    }

    @Test
    void specAppliedSaysWhatBecameOfTheLastUpdate() {
        MixTask task = task();
        task.getMetadata().setGeneration(2L);
        Instant now = Instant.parse("2026-01-01T00:01:00Z");
        WorkerReport.UpdateResult done = new WorkerReport.UpdateResult(2, "Applied", "live; outputs restarted: out1");
        WorkerReport applied = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:05Z", 55, 2, null, null, null, null, done);
        assertThat(specApplied(StatusBuilder.build(task, null, seen(applied, Optional.empty(), now))))
                .isEqualTo("True/Applied: generation 2 applied: live; outputs restarted: out1");

        WorkerReport.UpdateResult refused = new WorkerReport.UpdateResult(2, "Failed", "spec.inputs[0].rect: right must be > left (rtmp://host/key)");
        WorkerReport stillOne = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:05Z", 55, 1, null, null, null, null, refused);
        String invalid = specApplied(StatusBuilder.build(task, null, seen(stillOne, Optional.empty(), now)));
        assertThat(invalid).startsWith("False/Invalid: the worker refused generation 2: spec.inputs[0].rect").doesNotContain("host/key");

        WorkerReport older = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:05Z", 55, 1, null, null, null, null, null);
        Observation failing = new Observation(Optional.empty(), Optional.empty(), true, Optional.empty(), Optional.of(older), null, now,
                Optional.of(new SpecUpdate(SpecUpdate.PUSH_FAILED, "push of generation 2 failed (1 of 4 attempts)")));
        assertThat(specApplied(StatusBuilder.build(task, null, failing))).isEqualTo("False/PushFailed: push of generation 2 failed (1 of 4 attempts)");

        Observation stale = new Observation(Optional.empty(), Optional.empty(), true, Optional.empty(), Optional.of(older), null, now,
                Optional.of(new SpecUpdate(SpecUpdate.STALE_SEQ, "spec.seq 3 is lower than the last applied seq 5")));
        MixTaskStatus s = StatusBuilder.build(task, null, stale);
        assertThat(specApplied(s)).isEqualTo("False/StaleSeq: spec.seq 3 is lower than the last applied seq 5");
        assertThat(s.phase).as("the mix goes on").isEqualTo(Phase.Running);
    }

    @Test
    void recordingFilesAndUploadStatesReachTheStatusWithReasonsRedacted() {
        WorkerReport.Output rec = new WorkerReport.Output("out1", WorkerReport.Output.LIVE, "2026-01-01T00:00:00Z", null, 1L, 10L,
                List.of("/rec/a-0000.mp4", "/rec/a-0001.mp4"), List.of(
                        new WorkerReport.FileUpload("/rec/a-0000.mp4", WorkerReport.FileUpload.FAILED, "s3://b/a-0000.mp4", 5,
                                "SdkClientException: Unable to execute HTTP request to http://user:pw@minio:9000/b")));
        WorkerReport report = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:05Z", 5, 1, null, null, List.of(rec), null, null);
        MixTaskStatus s = StatusBuilder.build(task(), null, seen(report, Optional.empty(), Instant.parse("2026-01-01T00:00:10Z")));
        assertThat(s.outputs.get(0).files).containsExactly("/rec/a-0000.mp4", "/rec/a-0001.mp4");
        assertThat(s.outputs.get(0).uploads).singleElement().satisfies(u -> {
            assertThat(u.state).isEqualTo("Failed");
            assertThat(u.object).isEqualTo("s3://b/a-0000.mp4");
            assertThat(u.attempts).isEqualTo(5);
            assertThat(u.reason).contains("Unable to execute HTTP request").doesNotContain("pw@");
        });
    }

    @Test
    void workerWarningsAreASpecHonoredConditionWithTheirRedactedText() {
        Instant now = Instant.parse("2026-01-01T00:01:00Z");
        WorkerReport clean = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:05Z", 55, 1, null, null, null, null, null);
        var honored = Conditions.find(StatusBuilder.build(task(), null, seen(clean, Optional.empty(), now)).conditions,
                Conditions.SPEC_HONORED).orElseThrow();
        assertThat(honored.getStatus()).isEqualTo("True");

        WorkerReport substituted = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:05Z", 55, 1, null, null, null,
                List.of("output main: HE_AAC is not encodable with the bundled FFmpeg; encoding AAC-LC instead",
                        "background image not shown: rtmp://user:pw@host/app: 404"), null);
        var notHonored = Conditions.find(StatusBuilder.build(task(), null, seen(substituted, Optional.empty(), now)).conditions,
                Conditions.SPEC_HONORED).orElseThrow();
        assertThat(notHonored.getStatus()).isEqualTo("False");
        assertThat(notHonored.getReason()).isEqualTo("WorkerWarnings");
        assertThat(notHonored.getMessage()).contains("encoding AAC-LC instead").doesNotContain("pw@");
    }

    /**
     * Issue 13, finding 2: a urlFrom value without a scheme (a file path) reached status.outputs[].files and reasons
     * verbatim, because the redaction only knew URLs. Now every field that can carry a Secret value is redacted by field:
     * inputs[].urlFrom, outputs[].urlFrom (a path and a URL), recording.upload's access and secret keys, in files,
     * uploads, reasons, warnings and conditions; and without the resolved values (an older spec) the files of a
     * Secret-fed output are counted, not listed, and its reasons lose their paths.
     */
    @Test
    void secretValuesNeverReachStatusWhateverFieldTheyCameThrough() throws Exception {
        MixTask task = task();
        task.getSpec().inputs.get(0).url = null;
        task.getSpec().inputs.get(0).urlFrom = new io.streammix.api.v1alpha1.ValueFrom("keys", "cam");
        io.streammix.api.v1alpha1.MixOutput rec = new io.streammix.api.v1alpha1.MixOutput();
        rec.name = "rec";
        rec.urlFrom = new io.streammix.api.v1alpha1.ValueFrom("keys", "rec-path");
        io.streammix.api.v1alpha1.MixOutput push = new io.streammix.api.v1alpha1.MixOutput();
        push.name = "push";
        push.urlFrom = new io.streammix.api.v1alpha1.ValueFrom("keys", "push");
        task.getSpec().outputs = List.of(task.getSpec().outputs.get(0), rec, push);

        String camValue = "srt://ingest.example:9000?streamid=#!::r=live/cam-k3y-7781,m=request";
        String recValue = "/recordings/acme-q3-private-board.mp4"; // no scheme: the old redaction let it through
        String pushValue = "rtmp://live.example.com/app/sk-live-99812";
        String accessKey = "AKIAEXAMPLEKEY77";
        String secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY";
        io.streammix.api.v1alpha1.MixTaskSpec resolvedSpec = new com.fasterxml.jackson.databind.ObjectMapper()
                .convertValue(task.getSpec(), io.streammix.api.v1alpha1.MixTaskSpec.class);
        resolvedSpec.inputs.get(0).url = camValue;
        resolvedSpec.outputs.get(1).url = recValue;
        resolvedSpec.outputs.get(2).url = pushValue;
        var resolved = new io.streammix.operator.spec.ResolvedSpec(new io.streammix.worker.contract.SpecSubmission(1, resolvedSpec,
                java.util.Map.of("rec", new io.streammix.worker.contract.SpecSubmission.S3Credentials(accessKey, secretKey))), List.of());

        String stem = "acme-q3-private-board";
        WorkerReport report = new WorkerReport(WorkerReport.DEGRADED, "2026-01-01T00:00:05Z", 5, 1, null,
                List.of(new WorkerReport.Input("cam1", WorkerReport.Input.LOST, "2026-01-01T00:00:06Z",
                        "cam1: cannot open: " + camValue + ": Connection refused", null),
                        new WorkerReport.Input("cam2", WorkerReport.Input.LIVE, "2026-01-01T00:00:06Z", null, 25.0)),
                List.of(new WorkerReport.Output("out1", WorkerReport.Output.LIVE, "2026-01-01T00:00:06Z", null, 1L, 10L, null),
                        new WorkerReport.Output("rec", WorkerReport.Output.RECONNECTING, "2026-01-01T00:00:06Z",
                                "file " + stem + ".mp4: cannot open the destination: Permission denied (" + recValue + ")", 1L, 10L,
                                List.of(recValue, "/recordings/" + stem + "-20260101-000000-0001.mp4"),
                                List.of(new WorkerReport.FileUpload("/recordings/" + stem + "-20260101-000000-0000.mp4",
                                        WorkerReport.FileUpload.FAILED, "s3://bucket/mixes/" + stem + "-20260101-000000-0000.mp4", 3,
                                        "403 for key " + accessKey + " signed with " + secretKey + " on /recordings/" + stem + ".mp4"))),
                        new WorkerReport.Output("push", WorkerReport.Output.RECONNECTING, "2026-01-01T00:00:06Z",
                                "publish to sk-live-99812 refused", null, 0L, null)),
                List.of("output rec: " + stem + ".mp4 rotated", "input cam1 key cam-k3y-7781 expired"),
                new WorkerReport.UpdateResult(1, "Failed", "spec.outputs[1].url: " + recValue + " not writable"));

        Instant now = Instant.parse("2026-01-01T00:01:00Z");
        for (Optional<io.streammix.operator.spec.ResolvedSpec> known : List.of(Optional.of(resolved),
                Optional.<io.streammix.operator.spec.ResolvedSpec>empty())) {
            Observation seen = new Observation(known, Optional.empty(), true, Optional.empty(), Optional.of(report), null, now);
            MixTaskStatus s = StatusBuilder.build(task, null, seen);
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
            String events = s.conditions.toString();
            for (String leak : new String[] {recValue, stem, "cam-k3y-7781", "sk-live-99812", accessKey, secretKey, "K7MDENG"}) {
                // Unknown values (a worker still on an older spec) are found by field only: paths and file names go.
                if (known.isPresent() || leak.equals(recValue) || leak.equals(stem)) {
                    assertThat(json).as("status, values " + (known.isPresent() ? "known" : "unknown")).doesNotContain(leak);
                    assertThat(events).doesNotContain(leak);
                }
            }
            assertThat(s.outputs.get(1).files).as("files of a Secret-fed output are not listed").isNull();
            assertThat(s.outputs.get(1).filesTotal).isEqualTo(2);
            assertThat(s.outputs.get(1).reason).contains("Permission denied").contains("<spec.outputs[1].urlFrom>");
            assertThat(s.inputs.get(0).reason).contains("Connection refused");
        }
    }

    static Observation silent(Optional<Pod> pod, Instant now, long silentSeconds) {
        return new Observation(Optional.empty(), Optional.empty(), true, pod, Optional.empty(),
                "worker control API not reachable (HttpConnectTimeoutException)", now, Optional.empty(),
                java.time.Duration.ofSeconds(silentSeconds), java.time.Duration.ofSeconds(30));
    }

    static Pod workerPod(String name, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build();
    }

    @Test
    void aMixingWorkerThatMissesAStatusCallStaysRunningThenTurnsDegradedPastTheGrace() {
        MixTask task = task();
        Instant t0 = Instant.parse("2026-01-01T00:01:00Z");
        WorkerReport running = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:00Z", 60, 1, null, null, null, null, null);
        MixTaskStatus mixing = StatusBuilder.build(task, null, seen(running, Optional.of(workerPod("mt-a-1", true)), t0));
        assertThat(mixing.phase).isEqualTo(Phase.Running);

        MixTaskStatus missedOne = StatusBuilder.build(task, mixing, silent(Optional.of(workerPod("mt-a-1", true)), t0.plusSeconds(10), 0));
        assertThat(missedOne.phase).as("one unanswered call is not a restart").isEqualTo(Phase.Running);
        assertThat(missedOne.mixDuration).isEqualTo(60);
        MixTaskStatus noPodSeen = StatusBuilder.build(task, mixing, silent(Optional.empty(), t0.plusSeconds(20), 29));
        assertThat(noPodSeen.phase).isEqualTo(Phase.Running);

        MixTaskStatus tooLong = StatusBuilder.build(task, missedOne, silent(Optional.of(workerPod("mt-a-1", true)), t0.plusSeconds(40), 30));
        assertThat(tooLong.phase).isEqualTo(Phase.Degraded);
        var ready = Conditions.find(tooLong.conditions, Conditions.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo(StatusBuilder.WORKER_UNREACHABLE);
        assertThat(ready.getMessage()).isEqualTo("the worker has not answered for 30 s: worker control API not reachable (HttpConnectTimeoutException)");
        assertThat(Conditions.find(tooLong.conditions, Conditions.DEGRADED).orElseThrow().getReason()).isEqualTo(StatusBuilder.WORKER_UNREACHABLE);

        MixTaskStatus back = StatusBuilder.build(task, tooLong, seen(running, Optional.of(workerPod("mt-a-1", true)), t0.plusSeconds(50)));
        assertThat(back.phase).isEqualTo(Phase.Running);
        assertThat(Conditions.find(back.conditions, Conditions.DEGRADED).orElseThrow().getStatus()).isEqualTo("False");
    }

    @Test
    void aSilentWorkerWhosePodIsNewOrNotReadyIsStarting() {
        MixTask task = task();
        Instant t0 = Instant.parse("2026-01-01T00:01:00Z");
        WorkerReport running = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:00Z", 60, 1, null, null, null, null, null);
        MixTaskStatus mixing = StatusBuilder.build(task, null, seen(running, Optional.of(workerPod("mt-a-1", true)), t0));

        assertThat(StatusBuilder.build(task, mixing, silent(Optional.of(workerPod("mt-a-2", true)), t0.plusSeconds(10), 0)).phase)
                .as("a replaced pod").isEqualTo(Phase.Starting);
        assertThat(StatusBuilder.build(task, mixing, silent(Optional.of(workerPod("mt-a-1", false)), t0.plusSeconds(10), 0)).phase)
                .as("the same pod, restarting its container").isEqualTo(Phase.Starting);
    }

    @Test
    void aLongRecordingListsItsLatestFilesAndEveryUnfinishedUploadAndCountsTheRest() {
        List<String> files = new java.util.ArrayList<>();
        List<WorkerReport.FileUpload> uploads = new java.util.ArrayList<>();
        for (int i = 0; i < 1440; i++) {
            String f = String.format("/rec/day-%04d.mp4", i);
            files.add(f);
            // A day of one-minute files: all uploaded but #100 (failed) and the last two (pending, uploading).
            String state = i == 100 ? WorkerReport.FileUpload.FAILED : i == 1438 ? WorkerReport.FileUpload.UPLOADING
                    : i == 1439 ? WorkerReport.FileUpload.PENDING : WorkerReport.FileUpload.UPLOADED;
            uploads.add(new WorkerReport.FileUpload(f, state, "s3://b" + f, 1, null));
        }
        WorkerReport.Output rec = new WorkerReport.Output("rec", WorkerReport.Output.LIVE, "2026-01-01T00:00:00Z", null, 1L, 10L,
                files, uploads);
        WorkerReport report = new WorkerReport(WorkerReport.RUNNING, "2026-01-01T00:00:05Z", 5, 1, null, null, List.of(rec), null, null);
        var out = StatusBuilder.build(task(), null, seen(report, Optional.empty(), Instant.parse("2026-01-02T00:00:10Z"))).outputs.get(0);

        assertThat(out.files).hasSize(20).endsWith("/rec/day-1439.mp4").startsWith("/rec/day-1420.mp4");
        assertThat(out.filesTotal).isEqualTo(1440);
        assertThat(out.uploads).extracting(u -> u.file).hasSize(13)
                .startsWith("/rec/day-0100.mp4").contains("/rec/day-1428.mp4").endsWith("/rec/day-1438.mp4", "/rec/day-1439.mp4")
                .doesNotContain("/rec/day-1427.mp4");
        assertThat(out.uploadTotals).containsExactly(java.util.Map.entry("Failed", 1L), java.util.Map.entry("Pending", 1L),
                java.util.Map.entry("Uploaded", 1437L), java.util.Map.entry("Uploading", 1L));
    }
}
