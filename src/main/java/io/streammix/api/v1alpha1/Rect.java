package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/**
 * A rectangle on the layout canvas in pixels, origin top-left, right and bottom exclusive edges as
 * in start-mix RectInfo. The canvas is the first video output's width x height.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = SpecRules.RECT_ORDERED, message = "rect: left must be less than right and top less than bottom")
public class Rect {
    @JsonPropertyDescription("Z-order: higher layers are drawn on top; equal layers are drawn in list order. 0..100, default 0. "
            + "Mirrors RectInfo layer. Changes live.")
    @Min(0)
    @Max(100)
    @SpecChange(ChangeClass.LIVE)
    public Integer layer;

    @JsonPropertyDescription("Top edge in canvas pixels, 0..8192. Mirrors RectInfo top. Changes live.")
    @Required
    @Min(0)
    @Max(8192)
    @SpecChange(ChangeClass.LIVE)
    public Integer top;

    @JsonPropertyDescription("Left edge in canvas pixels, 0..8192. Mirrors RectInfo left. Changes live.")
    @Required
    @Min(0)
    @Max(8192)
    @SpecChange(ChangeClass.LIVE)
    public Integer left;

    @JsonPropertyDescription("Bottom edge in canvas pixels (exclusive), greater than top, at most the canvas height. "
            + "Mirrors RectInfo bottom. Changes live.")
    @Required
    @Min(0)
    @Max(8192)
    @SpecChange(ChangeClass.LIVE)
    public Integer bottom;

    @JsonPropertyDescription("Right edge in canvas pixels (exclusive), greater than left, at most the canvas width. "
            + "Mirrors RectInfo right. Changes live.")
    @Required
    @Min(0)
    @Max(8192)
    @SpecChange(ChangeClass.LIVE)
    public Integer right;

    public Rect() {
    }

    public Rect(int left, int top, int right, int bottom) {
        this.left = left;
        this.top = top;
        this.right = right;
        this.bottom = bottom;
    }

    public int width() {
        return right - left;
    }

    public int height() {
        return bottom - top;
    }

    public int layerOrDefault() {
        return layer == null ? 0 : layer;
    }
}
