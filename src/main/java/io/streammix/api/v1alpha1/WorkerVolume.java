package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;

/**
 * A PersistentVolumeClaim mounted read-write in the worker container, for recordings. Only claims: the
 * worker's pod stays restricted (no hostPath), and the pod's fsGroup (the image's UID 10001) makes the
 * volume writable by the worker.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = SpecRules.MOUNT_PATH_FREE, message = "spec.worker.volumes[].mountPath: must not be /, nor under "
        + "/etc/mixtask, /scratch or /deployments (the worker's own)")
public class WorkerVolume {
    @JsonPropertyDescription("Name of the volume: a DNS label of at most 59 characters, unique among volumes (the pod "
            + "volume is rec-<name>). Changing it restarts the worker.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]{0,57}[a-z0-9])?$")
    @SpecChange(ChangeClass.WORKER_RESTART)
    @Size(max = 59)
    public String name;

    @JsonPropertyDescription("The PersistentVolumeClaim, in the task's namespace; it must allow the worker's node to write "
            + "(ReadWriteOnce is enough: one worker at a time). Changing it restarts the worker.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
    @SpecChange(ChangeClass.WORKER_RESTART)
    @Size(max = 253)
    public String claimName;

    @JsonPropertyDescription("Absolute path where the claim is mounted in the worker container, e.g. /recordings; recording "
            + "outputs write under it. Not /, nor under /etc/mixtask, /scratch or /deployments. Changing it restarts the worker.")
    @Required
    @Pattern("^/[A-Za-z0-9._/-]*$")
    @Size(max = 256)
    @SpecChange(ChangeClass.WORKER_RESTART)
    public String mountPath;

    public WorkerVolume() {
    }

    public WorkerVolume(String name, String claimName, String mountPath) {
        this.name = name;
        this.claimName = claimName;
        this.mountPath = mountPath;
    }
}
