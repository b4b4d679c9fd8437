package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/**
 * How a file output records: rotation into several files and upload of finished files. Only for outputs
 * whose {@code url} is a file (a path or file:// URL, normally on a volume of {@code spec.worker.volumes}).
 * Seed 002 (recording the mixed stream) has no rotation or upload: both are ours.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Recording {
    @JsonPropertyDescription("Start a new file after this many seconds, at the next video keyframe (audio-only: at once). "
            + "Files are named <url without extension>-<UTC start time yyyyMMdd-HHmmss>.<extension> and listed in "
            + "status.outputs[].files as each is finished. Video keyframes come every 2 s, so files are about a multiple of 2 s long. "
            + "2 to 86400; absent: one file for the whole run. "
            + "No start-mix counterpart. Changing it restarts this output.")
    @Min(2)
    @Max(86400)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public Integer rotateAfterSeconds;

    @JsonPropertyDescription("Start a new file once the one being written holds this many bytes, at the next video keyframe "
            + "(audio-only: at the next packet), so a file may exceed it by up to one keyframe interval (2 s) of media. "
            + "Files are named and listed as with rotateAfterSeconds; with both, a file ends at whichever limit it reaches first. "
            + "262144 (256 KiB) to 1099511627776 (1 TiB); absent: no limit on the size of a file. "
            + "No start-mix counterpart. Changing it restarts this output.")
    @Min(262144)
    @Max(1099511627776L)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public Long rotateAfterBytes;

    @JsonPropertyDescription("Upload each finished file (every rotated file as it closes, the last one on stop) to "
            + "S3-compatible storage. Absent: files stay on the volume only. Changing it restarts this output.")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public S3Upload upload;
}
