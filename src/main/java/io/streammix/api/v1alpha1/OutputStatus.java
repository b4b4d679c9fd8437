package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;
import java.util.Map;

/** One output as the worker sees it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutputStatus {
    @JsonPropertyDescription("The output's name (see spec.outputs[].name).")
    public String name;
    @JsonPropertyDescription("Connecting, Live, Reconnecting or Failed.")
    public String state;
    @JsonPropertyDescription("When the output entered this state (RFC 3339).")
    public String since;
    @JsonPropertyDescription("Why the output is not live, when it is not; never contains a URL's credentials.")
    public String reason;
    @JsonPropertyDescription("Measured output bitrate in bits per second (audio and video).")
    public Long bitrate;
    @JsonPropertyDescription("Video frames written since the output (re)opened.")
    public Long frames;
    @JsonPropertyDescription("Files written, for recording outputs, oldest first; the last may still be open. Only the "
            + "latest 20 are listed (a status must stay small however long a task records): filesTotal counts them all.")
    public List<String> files;
    @JsonPropertyDescription("Number of files written, for recording outputs, including those no longer listed in files.")
    public Long filesTotal;
    @JsonPropertyDescription("Upload state of finished files, for recordings with recording.upload, oldest first: every "
            + "file not yet uploaded (at most 20, the latest) and the latest 10 uploaded. uploadTotals counts them all.")
    public List<FileUploadStatus> uploads;
    @JsonPropertyDescription("Number of files in each upload state (Pending, Uploading, Uploaded, Failed), listed or not.")
    public Map<String, Long> uploadTotals;
}
