package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One input as the worker sees it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InputStatus {
    @JsonPropertyDescription("The input's name (see spec.inputs[].name).")
    public String name;
    @JsonPropertyDescription("Connecting, Live or Lost.")
    public String state;
    @JsonPropertyDescription("When the input entered this state (RFC 3339).")
    public String since;
    @JsonPropertyDescription("Why the input is not live, when it is not; never contains a URL's credentials.")
    public String reason;
    @JsonPropertyDescription("Decoded video frames per second, when the input has video.")
    public Double fps;
    @JsonPropertyDescription("While the input is Lost: when it was lost (RFC 3339); since changes with each new reason, this does not.")
    public String lostSince;
    @JsonPropertyDescription("While the input is Lost: when the next reconnect attempt starts (RFC 3339); in the past while that "
            + "attempt is under way. Retries start 250 ms after the loss and back off to one every 2 s.")
    public String nextAttemptAt;
    @JsonPropertyDescription("While the input is Lost: reconnect attempts made since it was lost.")
    public Integer attempts;
}
