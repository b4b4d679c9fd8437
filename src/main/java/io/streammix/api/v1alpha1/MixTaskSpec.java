package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

import java.util.ArrayList;
import java.util.List;

/**
 * What the user asks for. Field names follow Kubernetes conventions; each description names the
 * start-mix field it mirrors. Cross-field rules are CEL rules evaluated by the API server at
 * admission; {@link io.streammix.api.validation.SpecValidator} holds the same rules in Java.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = SpecRules.INPUTS_INSIDE_CANVAS,
        message = "spec.inputs[].rect: right must be <= and bottom must be <= the layout canvas, which is the width x height of the first video output")
@ValidationRule(value = SpecRules.WATERMARK_INSIDE_CANVAS,
        message = "spec.watermark.rect: right must be <= and bottom must be <= the layout canvas, which is the width x height of the first video output")
@ValidationRule(value = SpecRules.INPUT_FILES_IN_VOLUMES, message = "spec.inputs[].url" + SpecRules.FILES_IN_VOLUMES_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.OUTPUT_FILES_IN_VOLUMES, message = "spec.outputs[].url" + SpecRules.FILES_IN_VOLUMES_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.BACKGROUND_FILE_IN_VOLUMES, message = "spec.background.image" + SpecRules.FILES_IN_VOLUMES_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.LOSS_FILES_IN_VOLUMES, message = "spec.inputs[].onLoss.image" + SpecRules.FILES_IN_VOLUMES_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.WATERMARK_FILE_IN_VOLUMES, message = "spec.watermark.image" + SpecRules.FILES_IN_VOLUMES_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.BYPASS_ONE_INPUT, message = "spec.bypass: bypass needs exactly one input")
public class MixTaskSpec {

    @JsonPropertyDescription("Room (channel) the mix belongs to; informational, and available to play-URL templates as {roomId}. "
            + "Mirrors start-mix live_channel. Changes live.")
    @Size(max = 128)
    @SpecChange(ChangeClass.LIVE)
    public String roomId;

    @JsonPropertyDescription("Request sequence number. When set, an edit whose seq is lower than the last applied one is refused "
            + "(status condition names both numbers). Mirrors start-mix seq. Range 0..2^63-1. Changes live.")
    @Min(0)
    @SpecChange(ChangeClass.LIVE)
    public Long seq;

    @JsonPropertyDescription("The streams to mix, 1 to 25, drawn by rect.layer (higher on top; equal layers in list order). "
            + "Mirrors start-mix MixInput. Adding and removing inputs changes live.")
    @Required
    @Size(min = 1, max = 25)
    @ValidationRule(value = SpecRules.UNIQUE_INPUT_NAMES, message = "spec.inputs[].name: names must be unique")
    @ValidationRule(value = SpecRules.UNIQUE_INPUT_STREAM_IDS, message = "spec.inputs[].streamId: stream ids must be unique")
    @SpecChange(ChangeClass.LIVE)
    public List<MixInput> inputs = new ArrayList<>();

    @JsonPropertyDescription("Where the mix goes, 1 to 8 outputs, each with its own encoder. The first output with video defines the "
            + "layout canvas; the others are that picture scaled to their own size. Mirrors start-mix MixOutput. "
            + "Adding or removing an output restarts only that output.")
    @Required
    @Size(min = 1, max = 8)
    @ValidationRule(value = SpecRules.UNIQUE_OUTPUT_NAMES, message = "spec.outputs[].name: names must be unique")
    @ValidationRule(value = SpecRules.UNIQUE_OUTPUT_STREAM_IDS, message = "spec.outputs[].streamId: stream ids must be unique")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public List<MixOutput> outputs = new ArrayList<>();

    @JsonPropertyDescription("What shows where no input is drawn: a colour and/or an image scaled to the canvas. "
            + "Mirrors start-mix output_bg_color and output_bg_image. Changes live.")
    @SpecChange(ChangeClass.LIVE)
    public Background background;

    @JsonPropertyDescription("An image drawn on top of everything, in a rectangle of the canvas. Mirrors start-mix watermark. Changes live.")
    @SpecChange(ChangeClass.LIVE)
    public Watermark watermark;

    @JsonPropertyDescription("When true, per-input sound levels (soundLevelId -> level 0..100) are carried in the video outputs as SEI "
            + "about every 100 ms. Default false. Mirrors start-mix with_sound_level (1/0). Changes live.")
    @SpecChange(ChangeClass.LIVE)
    public Boolean soundLevel;

    @JsonPropertyDescription("Custom data carried inside every video output as a user_data_unregistered SEI message; 1 to 1000 bytes of "
            + "UTF-8 (under 850 advised). Mirrors start-mix userdata. Changes live.")
    @Size(min = 1, max = 1000)
    @ValidationRule(value = SpecRules.USER_DATA_BYTES, message = "spec.userData: must be at most 1000 bytes when encoded as UTF-8")
    @SpecChange(ChangeClass.LIVE)
    public String userData;

    @JsonPropertyDescription("When the SEI carrying userData is attached: KeyframesAndChanges (default) attaches it to every keyframe and "
            + "to the first frame after userData changes; EveryFrame attaches it to every video frame. Mirrors start-mix "
            + "extra_params sei_mode. Changes live.")
    @SpecChange(ChangeClass.LIVE)
    public SeiMode seiMode;

    @JsonPropertyDescription("When true and there is exactly one input, its packets are passed to the outputs without decoding or "
            + "re-encoding (layout, background and watermark do not apply). Default false. Mirrors start-mix bypass (1/0). "
            + "Changing it restarts the worker.")
    @SpecChange(ChangeClass.WORKER_RESTART)
    public Boolean bypass;

    @JsonPropertyDescription("Vendor extra parameters (start-mix extra_params). Known keys are honoured: video_encode=h264|h265 sets the "
            + "codec of outputs that do not name one; sei_mode=0|1 sets seiMode when it is unset. Unknown keys are reported in "
            + "status.warnings as ignored and never passed to FFmpeg. At most 16. Changing them restarts the outputs concerned.")
    @Size(max = 16)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public List<ExtraParam> extraParams;

    @JsonPropertyDescription("Per-task overrides of the worker pod: image, resources and scheduling. Changing them restarts the worker.")
    @SpecChange(ChangeClass.WORKER_RESTART)
    public WorkerOverrides worker;
}
