package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/**
 * What the operator observed. Written only by the operator, only through the status subresource;
 * everything here comes from the worker's own report or from the cluster, never guessed from the spec.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MixTaskStatus {
    @JsonPropertyDescription("Pending (no worker yet), Starting (worker not yet mixing), Running, Degraded (an input lost or an output "
            + "reconnecting), Failed.")
    public Phase phase;

    @JsonPropertyDescription("Ready, Progressing, Degraded, SpecApplied and SpecHonored conditions, with reasons. SpecApplied is the outcome of "
            + "the last spec update: Applied (message says what the worker did: live, outputs restarted), Pending, InvalidSpec "
            + "(refused by the operator), Invalid (refused by the worker), StaleSeq (spec.seq lower than the last applied one; "
            + "both numbers named), PushFailed (retried with backoff, then the worker is replaced), WorkerRestarting. SpecHonored "
            + "is False (WorkerWarnings) while the worker does something other than asked and says so in warnings, e.g. "
            + "HE_AAC encoded as AAC-LC.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The metadata.generation the operator last reconciled.")
    public Long observedGeneration;

    @JsonPropertyDescription("The metadata.generation the running worker has applied.")
    public Long appliedGeneration;

    @JsonPropertyDescription("The spec.seq of the last applied spec, if it had one.")
    public Long appliedSeq;

    @JsonPropertyDescription("When the mix first started (RFC 3339); kept across worker restarts.")
    public String startTime;

    @JsonPropertyDescription("Seconds the mix has run since startTime. Mirrors start-mix mix_duration.")
    public Long mixDuration;

    @JsonPropertyDescription("Play URLs of each output. Mirrors start-mix play[].")
    public List<PlayInfo> play;

    @JsonPropertyDescription("State of each input, as the worker reports it.")
    public List<InputStatus> inputs;

    @JsonPropertyDescription("State of each output, as the worker reports it.")
    public List<OutputStatus> outputs;

    @JsonPropertyDescription("The worker pod.")
    public WorkerInfo worker;

    @JsonPropertyDescription("Things in the spec that are accepted but not honoured as written (ignored extraParams keys, HE-AAC "
            + "encoded as AAC-LC, ...).")
    public List<String> warnings;
}
