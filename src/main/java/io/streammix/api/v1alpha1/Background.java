package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/** What shows where no input is drawn. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = SpecRules.IMAGE_SCHEME, message = SpecRules.BACKGROUND_IMAGE_SCHEME_MESSAGE)
@ValidationRule(value = SpecRules.IMAGE_PLAIN_PATH, message = "spec.background.image" + SpecRules.PLAIN_PATH_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.IMAGE_SAFE, message = "spec.background.image" + SpecRules.SAFE_MESSAGE_TAIL)
public class Background {
    @JsonPropertyDescription("Background colour as #RRGGBB, default #000000. Mirrors start-mix output_bg_color, which is the decimal "
            + "integer of 0xRRGGBBxx (the low byte is ignored). Changes live.")
    @Pattern("^#[0-9A-Fa-f]{6}$")
    @SpecChange(ChangeClass.LIVE)
    @Size(max = 7)
    public String color;

    @JsonPropertyDescription("Background image URL (http(s):// or file://, PNG or JPEG, at most 5 MB), scaled to the canvas over the "
            + "colour. Mirrors start-mix output_bg_image. Changes live.")
    @Size(min = 1, max = 2048)
    @SpecChange(ChangeClass.LIVE)
    public String image;

    public Background() {
    }

    public Background(String color, String image) {
        this.color = color;
        this.image = image;
    }
}
