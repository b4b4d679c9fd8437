package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where one output can be watched. Mirrors start-mix play[]. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlayInfo {
    @JsonPropertyDescription("The output's stream id (or name).")
    public String streamId;
    @JsonPropertyDescription("Alias of the stream on the media server. Mirrors play[].stream_alias.")
    public String streamAlias;
    @JsonPropertyDescription("RTMP play URL, when a media server is configured. Mirrors play[].rtmp_url.")
    public String rtmpUrl;
    @JsonPropertyDescription("HTTP-FLV play URL. Mirrors play[].hdl_url.")
    public String flvUrl;
    @JsonPropertyDescription("HLS play URL. Mirrors play[].hls_url.")
    public String hlsUrl;
}
