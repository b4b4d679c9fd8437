package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Upload state of one finished recording file. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FileUploadStatus {
    @JsonPropertyDescription("The file on the volume.")
    public String file;
    @JsonPropertyDescription("Pending, Uploading, Uploaded or Failed (after all retries).")
    public String state;
    @JsonPropertyDescription("Where it goes: s3://bucket/key.")
    public String object;
    @JsonPropertyDescription("Attempts so far.")
    public Integer attempts;
    @JsonPropertyDescription("Why the last attempt failed; never contains credentials.")
    public String reason;
}
