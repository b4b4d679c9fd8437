package io.streammix.worker.recording;

import io.streammix.api.v1alpha1.S3Upload;
import io.streammix.worker.contract.SpecSubmission;

import java.nio.file.Path;

/**
 * How one file output records.
 *
 * @param file          the file the spec names; with rotation, files are named after it
 *                      ({@code rec.mp4} → {@code rec-20261121-023000-0000.mp4}, ...)
 * @param pattern       with rotation, the segment muxer's file pattern ({@code %04d} for the file's number); else null
 * @param segmentList   with rotation, where the segment muxer lists each file it has finished (CSV); else null
 * @param rotateSeconds rotation period, null for none
 * @param rotateBytes   size at which a file is ended (at the next keyframe), null for none; when set, the worker
 *                      decides every cut ({@code io.streammix.worker.engine.output.sink.ByteRotation}), the period included
 * @param upload        where finished files go, null to keep them on the volume only
 * @param credentials   the upload's key pair, null without upload
 */
public record RecordingPlan(Path file, String pattern, Path segmentList, Integer rotateSeconds, Long rotateBytes,
                            S3Upload upload,
                            SpecSubmission.S3Credentials credentials) {

    public boolean rotates() {
        return pattern != null;
    }

    /** The name of file number {@code n} of a rotating recording. */
    public Path fileNumber(int n) {
        return Path.of(String.format(pattern, n));
    }
}
