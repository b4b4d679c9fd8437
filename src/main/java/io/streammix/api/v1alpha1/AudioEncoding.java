package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/** Audio encoder settings of one output. The mix itself runs at 48 kHz. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AudioEncoding {
    @JsonPropertyDescription("Audio codec: AAC_LC, HE_AAC, MP3 or OPUS. Absent: the file's own codec for audio-only files (MP3 for "
            + ".mp3, OPUS for .ogg/.opus, AAC_LC for .m4a), else AAC_LC. The bundled FFmpeg has no HE-AAC encoder, so HE_AAC is "
            + "encoded as AAC-LC and the task reports it in its conditions. A codec the output's container cannot hold fails "
            + "that output, naming this field. Mirrors MixOutput audio_enc_id (0 = HE_AAC, the vendor's default; 1 = AAC_LC; "
            + "2 = MP3); OPUS has no start-mix counterpart. Changing it restarts this output.")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public AudioCodec codec;

    @JsonPropertyDescription("Audio bitrate in bits per second, 10000..192000, default 48000. Mirrors MixOutput audio_bitrate. "
            + "Changing it restarts this output.")
    @Min(10000)
    @Max(192000)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public Integer bitrate;

    @JsonPropertyDescription("Audio channels: 1 (mono, default) or 2 (stereo). Mirrors MixOutput audio_channel_cnt and the top-level "
            + "audio_channel_cnt (0 and 1 both mean mono). Changing it restarts this output.")
    @Min(1)
    @Max(2)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public Integer channels;

    public AudioCodec codecOrDefault() {
        return codec == null ? AudioCodec.AAC_LC : codec;
    }

    public int bitrateOrDefault() {
        return bitrate == null ? 48000 : bitrate;
    }

    public int channelsOrDefault() {
        return channels == null ? 1 : channels;
    }
}
