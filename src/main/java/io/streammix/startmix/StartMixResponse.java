package io.streammix.startmix;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.PlayInfo;

import java.util.List;

/**
 * The start-mix response in the vendor's shape: {@code {code, message, data: {id_name, seq, live_channel, play[],
 * mix_duration}}}. Play URLs are the operator's (status.play, or computed the same way before the first status);
 * mix_duration is status.mixDuration. {@code warnings} is ours: what the request asked for that was not carried over
 * (absent when nothing was dropped; clients that read only the vendor's fields never see a difference).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StartMixResponse(int code, String message, Data data, List<String> warnings) {

    public StartMixResponse(int code, String message, Data data) {
        this(code, message, data, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(@JsonProperty("id_name") String idName, Long seq, @JsonProperty("live_channel") String liveChannel,
            List<Play> play, @JsonProperty("mix_duration") Long mixDuration) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Play(@JsonProperty("hdl_url") String hdlUrl, @JsonProperty("hls_url") String hlsUrl,
            @JsonProperty("rtmp_url") String rtmpUrl, @JsonProperty("stream_alias") String streamAlias) {
        static Play of(PlayInfo p) {
            return new Play(p.flvUrl, p.hlsUrl, p.rtmpUrl, p.streamAlias != null ? p.streamAlias : p.streamId);
        }
    }

    public static StartMixResponse of(MixTask task, String idName) {
        var status = task.getStatus();
        List<Play> play = status == null || status.play == null ? List.of() : status.play.stream().map(Play::of).toList();
        Long seq = status != null && status.appliedSeq != null ? status.appliedSeq : task.getSpec().seq;
        return new StartMixResponse(0, "success", new Data(idName, seq, task.getSpec().roomId, play,
                status == null ? null : status.mixDuration));
    }

    public static StartMixResponse error(int code, String message) {
        return new StartMixResponse(code, message, null);
    }
}
