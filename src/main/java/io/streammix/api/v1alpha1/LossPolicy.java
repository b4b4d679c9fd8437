package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/**
 * What an input's rect shows while its input is lost (the stream ended, the connection broke, or no data came for the
 * read timeout), until the input is back. No start-mix counterpart: start-mix shows the background at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = SpecRules.LOSS_IMAGE_WITH_IMAGE, message = SpecRules.LOSS_IMAGE_WITH_IMAGE_MESSAGE)
@ValidationRule(value = SpecRules.IMAGE_SCHEME, message = SpecRules.LOSS_IMAGE_SCHEME_MESSAGE)
@ValidationRule(value = SpecRules.IMAGE_PLAIN_PATH, message = "spec.inputs[].onLoss.image" + SpecRules.PLAIN_PATH_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.IMAGE_SAFE, message = "spec.inputs[].onLoss.image" + SpecRules.SAFE_MESSAGE_TAIL)
public class LossPolicy {
    public static final int DEFAULT_HOLD_MILLIS = 1000;

    @JsonPropertyDescription("How long the rect keeps showing the input's last picture once the input is lost, in milliseconds, "
            + "counted from that picture (or from when the loss was found, if later): 0..60000, default 1000, long enough to "
            + "bridge a publisher's quick reconnect without a flash. The input's audio is silent from the loss on. "
            + "No start-mix counterpart. Changes live.")
    @Min(0)
    @Max(60000)
    @SpecChange(ChangeClass.LIVE)
    public Integer holdLastFrameMillis;

    @JsonPropertyDescription("What the rect shows after the hold, until the input's first picture after its return: Background "
            + "(default: the canvas background) or Image (the placeholder in image). No start-mix counterpart. Changes live.")
    @SpecChange(ChangeClass.LIVE)
    public LossDisplay then;

    @JsonPropertyDescription("Placeholder picture URL (http(s):// or file://, PNG or JPEG, at most 5 MB), scaled into the rect as "
            + "renderMode says. Required when then is Image, not allowed otherwise. No start-mix counterpart. Changes live.")
    @Size(min = 1, max = 2048)
    @SpecChange(ChangeClass.LIVE)
    public String image;

    public LossPolicy() {
    }

    public LossPolicy(Integer holdLastFrameMillis, LossDisplay then, String image) {
        this.holdLastFrameMillis = holdLastFrameMillis;
        this.then = then;
        this.image = image;
    }

    public int holdOrDefault() {
        return holdLastFrameMillis == null ? DEFAULT_HOLD_MILLIS : holdLastFrameMillis;
    }

    public LossDisplay thenOrDefault() {
        return then == null ? LossDisplay.Background : then;
    }
}
