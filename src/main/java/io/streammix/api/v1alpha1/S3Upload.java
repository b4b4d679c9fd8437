package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/** Where finished recording files are uploaded: an S3 bucket, or a bucket of an S3-compatible server. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3Upload {
    public static final String DEFAULT_REGION = "us-east-1";

    @JsonPropertyDescription("Endpoint of an S3-compatible server (http:// or https://, e.g. https://minio.example:9000); "
            + "addressed path-style (endpoint/bucket/key). Absent: AWS S3 of the region, virtual-host style. "
            + "Changing it restarts this output.")
    @Pattern("^https?://[^\\s]+$")
    @Size(max = 2048)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public String endpoint;

    @JsonPropertyDescription("The bucket (it must exist): 3 to 63 lower-case letters, digits, dots and hyphens. "
            + "Changing it restarts this output.")
    @Required
    @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    @Size(max = 63)
    public String bucket;

    @JsonPropertyDescription("Key prefix: an object's key is <prefix><file name> (put a trailing / to get a folder). "
            + "At most 512 characters; absent: no prefix. Changing it restarts this output.")
    @Size(max = 512)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public String prefix;

    @JsonPropertyDescription("Region for request signing; default: us-east-1 (what most S3-compatible servers expect). "
            + "Changing it restarts this output.")
    @Pattern("^[a-z0-9-]{1,32}$")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    @Size(max = 32)
    public String region;

    @JsonPropertyDescription("The access key id, read from a Secret key in the task's namespace; never shown in status, "
            + "Events or logs. Changing it restarts this output.")
    @Required
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public ValueFrom accessKeyFrom;

    @JsonPropertyDescription("The secret access key, read from a Secret key in the task's namespace; never shown in status, "
            + "Events or logs. Changing it restarts this output.")
    @Required
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public ValueFrom secretKeyFrom;

    @JsonPropertyDescription("Delete each file from the volume once it is uploaded; default: false (keep it). "
            + "Changing it restarts this output.")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public Boolean deleteAfterUpload;

    public String regionOrDefault() {
        return region != null ? region : DEFAULT_REGION;
    }

    public boolean deleteAfterUploadOrDefault() {
        return Boolean.TRUE.equals(deleteAfterUpload);
    }
}
