package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

import java.util.List;
import java.util.Map;

/** Per-task overrides of the operator's worker pod defaults. Any change restarts the worker. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerOverrides {
    @JsonPropertyDescription("Worker container image; default: the operator's configured worker image. Changing it restarts the worker.")
    @SpecChange(ChangeClass.WORKER_RESTART)
    @Size(max = 1024)
    public String image;

    @JsonPropertyDescription("CPU and memory requests and limits of the worker container. Changing them restarts the worker.")
    @SpecChange(ChangeClass.WORKER_RESTART)
    public ResourceRequirements resources;

    @JsonPropertyDescription("Node labels the worker pod must match. Changing them restarts the worker.")
    @SpecChange(ChangeClass.WORKER_RESTART)
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the worker pod. Changing them restarts the worker.")
    @SpecChange(ChangeClass.WORKER_RESTART)
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Affinity of the worker pod. Changing it restarts the worker.")
    @SpecChange(ChangeClass.WORKER_RESTART)
    public Affinity affinity;

    @JsonPropertyDescription("PersistentVolumeClaims mounted read-write in the worker, for recording outputs; at most 4, "
            + "unique names. Changing them restarts the worker.")
    @Size(max = 4)
    @ValidationRule(value = SpecRules.UNIQUE_VOLUME_NAMES, message = "spec.worker.volumes[].name: names must be unique")
    @SpecChange(ChangeClass.WORKER_RESTART)
    public List<WorkerVolume> volumes;

    @JsonPropertyDescription("Priority class of the worker pod. Changing it restarts the worker.")
    @SpecChange(ChangeClass.WORKER_RESTART)
    @Size(max = 253)
    public String priorityClassName;
}
