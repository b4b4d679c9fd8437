package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/** An image drawn over everything. Mirrors start-mix WaterMarkConfig. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = SpecRules.IMAGE_SCHEME, message = SpecRules.WATERMARK_IMAGE_SCHEME_MESSAGE)
@ValidationRule(value = SpecRules.IMAGE_PLAIN_PATH, message = "spec.watermark.image" + SpecRules.PLAIN_PATH_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.IMAGE_SAFE, message = "spec.watermark.image" + SpecRules.SAFE_MESSAGE_TAIL)
public class Watermark {
    @JsonPropertyDescription("Watermark image URL (http(s):// or file://, PNG with alpha or JPEG, at most 5 MB). "
            + "Mirrors WaterMarkConfig image. Changes live.")
    @Required
    @Size(min = 1, max = 2048)
    @SpecChange(ChangeClass.LIVE)
    public String image;

    @JsonPropertyDescription("Where the image is drawn, scaled to fit; every coordinate must be even. layer is ignored: the watermark is "
            + "always on top. Mirrors WaterMarkConfig rect. Changes live.")
    @Required
    @ValidationRule(value = SpecRules.RECT_EVEN, message = "spec.watermark.rect: top, left, bottom and right must be even numbers")
    @SpecChange(ChangeClass.LIVE)
    public Rect rect;
}
