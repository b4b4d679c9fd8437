package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/** One start-mix extra_params entry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExtraParam {
    @JsonPropertyDescription("Parameter name, e.g. video_encode or sei_mode. Changing it restarts the outputs concerned.")
    @Required
    @Size(min = 1, max = 64)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public String key;

    @JsonPropertyDescription("Parameter value. Changing it restarts the outputs concerned.")
    @Required
    @Size(max = 256)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public String value;

    public ExtraParam() {
    }

    public ExtraParam(String key, String value) {
        this.key = key;
        this.value = value;
    }
}
