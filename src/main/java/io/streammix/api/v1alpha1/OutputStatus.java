package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

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
    @JsonPropertyDescription("Files written, for recording outputs, oldest first; the last may still be open.")
    public List<String> files;
    @JsonPropertyDescription("Upload state of each finished file, for recordings with recording.upload.")
    public List<FileUploadStatus> uploads;
}
