package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/** A value read from a Secret instead of written in the spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValueFrom {
    @JsonPropertyDescription("The Secret (in the task's namespace) and key holding the value. Changes live.")
    @Required
    @SpecChange(ChangeClass.LIVE)
    public SecretKeySelector secretKeyRef;

    public ValueFrom() {
    }

    public ValueFrom(String secret, String key) {
        this.secretKeyRef = new SecretKeySelector(key, secret, false);
    }
}
