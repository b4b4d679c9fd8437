package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/** One stream to mix. Mirrors start-mix MixInput. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = SpecRules.INPUT_URL_SCHEME, message = SpecRules.INPUT_URL_SCHEME_MESSAGE)
@ValidationRule(value = SpecRules.URL_PLAIN_PATH, message = "spec.inputs[].url" + SpecRules.PLAIN_PATH_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.URL_SAFE, message = "spec.inputs[].url" + SpecRules.SAFE_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.ONE_SOURCE, message = "spec.inputs[]: exactly one of streamId, url and urlFrom must be set")
public class MixInput {
    @JsonPropertyDescription("Name of this input in status, Events and metrics: a DNS label, unique among inputs. "
            + "Default: the streamId, else input-<index>. No start-mix counterpart. Changes live.")
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    @SpecChange(ChangeClass.LIVE)
    @Size(max = 63)
    public String name;

    @JsonPropertyDescription("Stream name to pull, turned into a URL by the operator's input URL template. Exactly one of streamId, "
            + "url and urlFrom. Mirrors MixInput stream_id. Changes live.")
    @Size(min = 1, max = 256)
    @SpecChange(ChangeClass.LIVE)
    public String streamId;

    @JsonPropertyDescription("URL to pull: rtmp://, rtmps://, http(s):// (FLV, MPEG-TS, HLS, MP4), srt://, rtsp://, file:// "
            + "(also a PNG/JPEG still image), or synthetic: (e.g. synthetic:testsrc?size=640x360&fps=15&tone=440, "
            + "synthetic:color?color=#FF0000, synthetic:sine?frequency=880). URLs that carry keys belong in urlFrom. "
            + "Exactly one of streamId, url and urlFrom. Mirrors MixInput url. Changes live.")
    @Size(min = 1, max = 2048)
    @SpecChange(ChangeClass.LIVE)
    public String url;

    @JsonPropertyDescription("The URL, read from a Secret key in the task's namespace: for URLs that carry stream keys or tokens. "
            + "Never shown in status, Events or logs. Exactly one of streamId, url and urlFrom. Changes live.")
    @SpecChange(ChangeClass.LIVE)
    public ValueFrom urlFrom;

    @JsonPropertyDescription("Where the input's picture is drawn on the canvas. For audio-only mixing start-mix uses 0,0,1,1. "
            + "Mirrors MixInput rect. Changes live.")
    @Required
    @SpecChange(ChangeClass.LIVE)
    public Rect rect;

    @JsonPropertyDescription("How the picture fills its rect: Crop (default) keeps the aspect ratio, fills the rect and crops the "
            + "overflow; Fit shows the whole picture inside the rect, padded with the background. Mirrors MixInput render_mode "
            + "(0 = Crop, 1 = Fit). Changes live.")
    @SpecChange(ChangeClass.LIVE)
    public RenderMode renderMode;

    @JsonPropertyDescription("Which of the input's media are mixed: AudioVideo (default), AudioOnly (draws nothing), VideoOnly "
            + "(its audio is not mixed). Mirrors MixInput content_control (0, 1, 2). Changes live.")
    @SpecChange(ChangeClass.LIVE)
    public Content content;

    @JsonPropertyDescription("Identifies this input in the sound-level data carried in the output (see soundLevel). 0..4294967295. "
            + "Mirrors MixInput sound_level_id. Changes live.")
    @Min(0)
    @Max(4294967295.0)
    @SpecChange(ChangeClass.LIVE)
    public Long soundLevelId;

    @JsonPropertyDescription("Volume of this input in the mix, in percent: 0 silences it, 100 (default) leaves it as it is, up to 200 "
            + "doubles it (the mix is limited, never wraps). As in the vendor's SDK; start-mix has no counterpart. Changes live.")
    @Min(0)
    @Max(200)
    @SpecChange(ChangeClass.LIVE)
    public Integer volume;

    @JsonPropertyDescription("For file inputs: start again from the beginning at the end of the file. Default false. "
            + "No start-mix counterpart. Changes live.")
    @SpecChange(ChangeClass.LIVE)
    public Boolean loop;

    @JsonPropertyDescription("What the rect shows while this input is lost: its last picture for holdLastFrameMillis (default "
            + "1000), then the background or a placeholder image. Default: hold 1 s, then the background. The input "
            + "reconnects by itself meanwhile (see status.inputs[]). No start-mix counterpart. Changes live.")
    @SpecChange(ChangeClass.LIVE)
    public LossPolicy onLoss;

    public RenderMode renderModeOrDefault() {
        return renderMode == null ? RenderMode.Crop : renderMode;
    }

    public Content contentOrDefault() {
        return content == null ? Content.AudioVideo : content;
    }

    /** The policy as written, or the defaults (hold 1 s, then the background). */
    public LossPolicy onLossOrDefault() {
        return onLoss == null ? new LossPolicy() : onLoss;
    }

    public int volumeOrDefault() {
        return volume == null ? 100 : volume;
    }

    /** The name used in status and events; {@code index} is the input's position in the list. */
    public String displayName(int index) {
        if (name != null) {
            return name;
        }
        return streamId != null ? streamId : "input-" + index;
    }
}
