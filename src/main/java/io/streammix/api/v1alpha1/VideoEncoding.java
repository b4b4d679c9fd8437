package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/** Video encoder settings of one output. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VideoEncoding {
    @JsonPropertyDescription("Picture width in pixels, 1..4096 (odd sizes are rounded up to even for 4:2:0). 1 means audio-only. "
            + "The first video output's size is the layout canvas. Mirrors MixOutput width. Changing it restarts this output.")
    @Required
    @Min(1)
    @Max(4096)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public Integer width;

    @JsonPropertyDescription("Picture height in pixels, 1..4096 (odd sizes are rounded up to even). 1 means audio-only. "
            + "Mirrors MixOutput height. Changing it restarts this output.")
    @Required
    @Min(1)
    @Max(4096)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public Integer height;

    @JsonPropertyDescription("Frames per second, 1..60; the operator may cap it lower (start-mix caps at 20 by default). "
            + "Mirrors MixOutput fps. Changing it restarts this output.")
    @Required
    @Min(1)
    @Max(60)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public Integer fps;

    @JsonPropertyDescription("Target video bitrate in bits per second, 1..10000000 (the VBV rate with CBR, the cap with CRF). "
            + "Mirrors MixOutput bitrate. Changes live for H264 (encoder reconfiguration); restarts this output for H265.")
    @Required
    @Min(1)
    @Max(10000000)
    @SpecChange(ChangeClass.LIVE)
    public Integer bitrate;

    @JsonPropertyDescription("Video codec: H264 (default, libx264) or H265 (libx265). Mirrors start-mix extra_params video_encode. "
            + "Changing it restarts this output.")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public VideoCodec codec;

    @JsonPropertyDescription("Rate control: CBR (default; constant bitrate with VBV) or CRF (constant quality, see quality). "
            + "Mirrors MixOutput encode_mode (0 = CBR, 1 = CRF). Changing it restarts this output.")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public RateControl rateControl;

    @JsonPropertyDescription("CRF quality 0..51, default 23; lower is better, each +6 roughly halves the size. Ignored with CBR. "
            + "Mirrors MixOutput encode_qua. Changing it restarts this output.")
    @Min(0)
    @Max(51)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public Integer quality;

    public VideoCodec codecOrDefault() {
        return codec == null ? VideoCodec.H264 : codec;
    }

    public RateControl rateControlOrDefault() {
        return rateControl == null ? RateControl.CBR : rateControl;
    }

    public int qualityOrDefault() {
        return quality == null ? 23 : quality;
    }
}
