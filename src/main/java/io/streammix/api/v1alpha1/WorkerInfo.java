package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The worker pod that runs the mix. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerInfo {
    @JsonPropertyDescription("Name of the worker pod.")
    public String pod;
    @JsonPropertyDescription("Container restarts of the current worker pod.")
    public Integer restarts;
    @JsonPropertyDescription("Image the worker runs.")
    public String image;
    @JsonPropertyDescription("Node the worker pod runs on; a change (a lost node, a drain) is also an Event WorkerMoved.")
    public String node;
    @JsonPropertyDescription("While the current worker pod has no node yet (a replacement being scheduled): the node the "
            + "worker last ran on, so that a move shows as one Event WorkerMoved once the new pod has its node.")
    public String previousNode;
}
