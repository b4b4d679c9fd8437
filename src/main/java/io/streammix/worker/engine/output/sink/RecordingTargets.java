package io.streammix.worker.engine.output.sink;

import io.streammix.api.v1alpha1.Recording;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.recording.EarlierRecordings;
import io.streammix.worker.recording.RecordingPlan;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a file target into a recording. Without rotation the file is written as it is; with
 * {@code rotateAfterSeconds} FFmpeg's segment muxer writes the same container into numbered files, starting a
 * new one at the first keyframe after each period, and lists every file it closes (read by
 * {@link io.streammix.worker.recording.RecordingFiles}). With {@code rotateAfterBytes} the same muxer writes
 * the same files, but the cuts are the worker's ({@link ByteRotation}): the muxer cuts by time only.
 */
public final class RecordingTargets {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RecordingTargets() {
    }

    public static OutputTarget recording(OutputTarget file, Recording rec, SpecSubmission.S3Credentials credentials, Instant now) {
        Path p = file.file();
        Integer rotate = rec == null ? null : rec.rotateAfterSeconds;
        Long bytes = rec == null ? null : rec.rotateAfterBytes;
        var upload = rec == null ? null : rec.upload;
        if (rotate == null && bytes == null) {
            return new OutputTarget(file.url(), file.format(), file.muxerOptions(), false, p, file.safeName(),
                    new RecordingPlan(p, null, null, null, null, upload, credentials));
        }
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        // The start time keeps the files of a restarted worker apart from the earlier ones (a second already used by
        // files on the volume is skipped); %04d numbers them.
        Instant start = EarlierRecordings.unusedStart(p, now);
        String pattern = p.resolveSibling(base.replace("%", "%%") + "-" + STAMP.format(start) + "-%04d" + ext.replace("%", "%%"))
                .toString();
        Path list = Path.of(System.getProperty("java.io.tmpdir"), "recording-" + base + "-" + now.toEpochMilli() + ".csv");
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("segment_format", file.format());
        if (!file.muxerOptions().isEmpty()) {
            opts.put("segment_format_options", file.muxerOptions().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(":")));
        }
        // By size the worker decides every cut (ByteRotation drives segment_time at run time); until it does, the
        // muxer's own period must never come: 10^9 s.
        opts.put("segment_time", bytes != null ? ByteRotation.NEVER_SECONDS : Integer.toString(rotate));
        opts.put("reset_timestamps", "1"); // every file starts at 0
        opts.put("segment_list", list.toString());
        opts.put("segment_list_type", "csv");
        return new OutputTarget(pattern, "segment", Map.copyOf(opts), false, p, file.safeName() + " (rotated)",
                new RecordingPlan(p, pattern, list, rotate, bytes, upload, credentials));
    }
}
