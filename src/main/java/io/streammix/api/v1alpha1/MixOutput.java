package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/** One destination of the mix, with its own encoder. Mirrors start-mix MixOutput. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = SpecRules.OUTPUT_URL_SCHEME, message = SpecRules.OUTPUT_URL_SCHEME_MESSAGE)
@ValidationRule(value = SpecRules.URL_PLAIN_PATH, message = "spec.outputs[].url" + SpecRules.PLAIN_PATH_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.URL_SAFE, message = "spec.outputs[].url" + SpecRules.SAFE_MESSAGE_TAIL)
@ValidationRule(value = SpecRules.ONE_SOURCE, message = "spec.outputs[]: exactly one of streamId, url and urlFrom must be set")
@ValidationRule(value = SpecRules.RECORDING_ON_FILE, message = "spec.outputs[].recording: only for outputs whose url is a file "
        + "path or file:// URL")
@ValidationRule(value = SpecRules.AUDIO_ONLY_FILE_NO_VIDEO, message = SpecRules.AUDIO_ONLY_FILE_NO_VIDEO_MESSAGE)
@ValidationRule(value = SpecRules.MP3_HOLDS_MP3, message = SpecRules.MP3_HOLDS_MP3_MESSAGE)
@ValidationRule(value = SpecRules.OGG_HOLDS_OPUS, message = SpecRules.OGG_HOLDS_OPUS_MESSAGE)
@ValidationRule(value = SpecRules.M4A_HOLDS_AAC, message = SpecRules.M4A_HOLDS_AAC_MESSAGE)
public class MixOutput {
    @JsonPropertyDescription("Name of this output in status, Events and metrics: a DNS label, unique among outputs. "
            + "Default: the streamId, else output-<index>. No start-mix counterpart. Changing it restarts this output.")
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    @Size(max = 63)
    public String name;

    @JsonPropertyDescription("Stream name to publish; the operator's output URL template turns it into a push URL, and its play-URL "
            + "templates into play URLs (by default the worker serves HLS and HTTP-FLV itself). Exactly one of streamId, url and "
            + "urlFrom. Mirrors MixOutput stream_id. Changing it restarts this output.")
    @Size(min = 1, max = 256)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public String streamId;

    @JsonPropertyDescription("URL to push to: rtmp://, rtmps://, srt:// (MPEG-TS), or a file path/file:// URL: .mp4 (fragmented, "
            + "the default), .mkv, .flv, .ts, .m3u8 (a rolling HLS playlist with its segments beside it), audio-only .m4a, .mp3, "
            + ".ogg/.opus (Ogg-Opus). URLs that carry keys belong in urlFrom. Exactly one of streamId, url and urlFrom. "
            + "Mirrors MixOutput mixurl. Changing it restarts this output.")
    @Size(min = 1, max = 2048)
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public String url;

    @JsonPropertyDescription("The push URL, read from a Secret key in the task's namespace; never shown in status, Events or logs. "
            + "Exactly one of streamId, url and urlFrom. Changing it restarts this output.")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public ValueFrom urlFrom;

    @JsonPropertyDescription("Video encoding. Absent, or width or height <= 1 (start-mix's 1x1 audio-only recipe): the output is "
            + "audio-only and carries no video track. Adding or removing it restarts this output; see the fields for which "
            + "changes are live.")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public VideoEncoding video;

    @JsonPropertyDescription("Audio encoding. Absent: AAC-LC, 48000 bps, mono. Changing it restarts this output.")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public AudioEncoding audio;

    @JsonPropertyDescription("Recording options of a file output (url a path or file:// URL, normally under a "
            + "spec.worker.volumes mountPath): rotation into several files and upload of finished files to S3-compatible storage. "
            + "Every file output records and lists its files in status.outputs[].files, with or without this. No start-mix "
            + "counterpart. Changing it restarts this output.")
    @SpecChange(ChangeClass.OUTPUT_RESTART)
    public Recording recording;

    /** True when this output carries a picture: start-mix marks audio-only outputs with a 1x1 size. */
    public boolean hasVideo() {
        return video != null && video.width != null && video.height != null && video.width > 1 && video.height > 1;
    }

    public String displayName(int index) {
        if (name != null) {
            return name;
        }
        return streamId != null ? streamId : "output-" + index;
    }
}
