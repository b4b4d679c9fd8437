package io.streammix.operator.dependent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.WorkerOverrides;
import io.streammix.api.v1alpha1.WorkerVolume;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.sizing.WorkerHeap;
import io.streammix.operator.sizing.WorkerSizing;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.metrics.MetricsServer;
import jakarta.enterprise.context.ApplicationScoped;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The worker pod: the operator's defaults, the task's {@code spec.worker} overrides, a restricted
 * security context, health probes, the task's Secret mounted read-only and an emptyDir for scratch
 * (the root filesystem is read-only; JavaCPP unpacks FFmpeg's natives there).
 *
 * <p>The template carries a hash of itself and of the spec fields whose change needs a worker
 * restart ({@link ChangeClass#WORKER_RESTART}); the Deployment is rewritten only when it changes. Resources sized
 * from the spec ({@code operator.sizing}) are not in it, nor the heap ceiling that follows from the memory limit and
 * the cost ({@code WorkerHeap}): the hash sees the fixed defaults and the configured JVM options in their place, so a
 * cost change alone never restarts the worker (its pod is resized in place instead).
 */
@ApplicationScoped
public class WorkerPodTemplate {
    public static final String CONTAINER = "worker";
    static final String SECRET_DIR = "/etc/mixtask";
    static final String SCRATCH_DIR = "/scratch";
    /** Prefix of the pod volume names of spec.worker.volumes, so they never clash with ours (control, scratch). */
    static final String VOLUME_PREFIX = "rec-";
    /** The image's numeric non-root user (container.user of the pom's "image" profile). */
    static final long RUN_AS_USER = 10001L;
    /** The named container port of the worker's metrics: the chart's PodMonitor scrapes it by this name. */
    public static final String METRICS_PORT_NAME = "metrics";
    /**
     * glibc's malloc arenas for the worker: by default up to 8 per core, one taken by each thread that allocates
     * (inputs, outputs, FFmpeg's codec threads), each keeping its own peak of freed frame buffers resident. Two
     * arenas cost no measurable CPU and kept the worker's peak RSS lower (WorkerMemoryBenchmark).
     */
    public static final String MALLOC_ARENA_MAX = "2";
    static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
    private static final String TMPDIR_OPTION = " -Djava.io.tmpdir=" + SCRATCH_DIR;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final OperatorConfig config;
    private final WorkerSizing sizing;
    private final WorkerHeap heap;

    public WorkerPodTemplate(OperatorConfig config) {
        this.config = config;
        this.sizing = new WorkerSizing(config);
        this.heap = new WorkerHeap(config);
    }

    /** The requests and limits sized from this task's spec; empty when it sets its own or sizing is off. */
    public java.util.Optional<ResourceRequirements> sizedResources(MixTask task) {
        return sizing.forTask(task);
    }

    public PodTemplateSpec build(MixTask task) {
        return build(task, null);
    }

    /**
     * @param restartToken set by the operator to replace a worker that does not take a live update (see
     *                     {@code mixtask.worker.push-attempts}); part of the restart hash; null when never set
     */
    public PodTemplateSpec build(MixTask task, String restartToken) {
        return build(task, restartToken, null);
    }

    /** @param avoidNode a node the worker must not be scheduled on (fast failover found it lost); null: none */
    public PodTemplateSpec build(MixTask task, String restartToken, String avoidNode) {
        OperatorConfig.Worker defaults = config.worker();
        WorkerOverrides overrides = task.getSpec().worker != null ? task.getSpec().worker : new WorkerOverrides();
        PodTemplateSpec template = new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(WorkerNames.labels(task))
                .withAnnotations(new HashMap<>(Map.of(
                        WorkerNames.TASK_NAME_ANNOTATION, task.getMetadata().getName(),
                        WorkerNames.TASK_NAMESPACE_ANNOTATION, task.getMetadata().getNamespace())))
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(defaults.serviceAccount().orElse(null))
                // The worker never calls the Kubernetes API: it gets everything through its Secret and control API.
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(defaults.terminationGracePeriodSeconds())
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER)
                .withFsGroup(RUN_AS_USER)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withNodeSelector(overrides.nodeSelector != null ? overrides.nodeSelector : new TreeMap<>(defaults.nodeSelector()))
                .withTolerations(withNodeLoss(overrides.tolerations != null ? overrides.tolerations : defaultTolerations(defaults),
                        defaults.nodeLossTolerationSeconds()))
                .withAffinity(overrides.affinity)
                .withPriorityClassName(overrides.priorityClassName)
                .withContainers(container(task, overrides))
                .addNewVolume()
                .withName("control")
                .withNewSecret().withSecretName(WorkerNames.workerName(task)).withDefaultMode(0440).endSecret()
                .endVolume()
                .addNewVolume()
                .withName("scratch")
                .withNewEmptyDir().withSizeLimit(new Quantity(defaults.scratchSizeLimit())).endEmptyDir()
                .endVolume()
                .endSpec()
                .build();
        if (restartToken != null) {
            template.getMetadata().getAnnotations().put(WorkerNames.RESTART_TOKEN_ANNOTATION, restartToken);
        }
        if (avoidNode != null) {
            template.getMetadata().getAnnotations().put(WorkerNames.AVOID_NODE_ANNOTATION, avoidNode);
            template.getSpec().setAffinity(NodeAvoidance.excluding(template.getSpec().getAffinity(), avoidNode));
        }
        addRecordingVolumes(template, overrides);
        String hash = ContentHash.of(template, restartFields(task.getSpec()));
        template.getMetadata().getAnnotations().put(WorkerNames.RESTART_HASH_ANNOTATION, hash);
        // Sized resources are set after the hash, which saw the fixed defaults in their place: a live edit that changes
        // the cost never rewrites the Deployment (that would roll the pod); the running pod is resized in place
        // instead (operator.sizing.InPlaceResize). The figures here serve a pod the Deployment starts anew.
        Container worker = template.getSpec().getContainers().get(0);
        sizing.forTask(task).ifPresent(worker::setResources);
        // The heap ceiling follows the limit and the cost (operator.sizing.WorkerHeap), so it is outside the hash too.
        worker.getEnv().stream().filter(e -> e.getName().equals(JAVA_TOOL_OPTIONS)).forEach(e -> e.setValue(
                heap.javaOptions(config.worker().javaOptions(), task.getSpec(), memoryLimit(worker.getResources())) + TMPDIR_OPTION));
        return template;
    }

    /**
     * The task's claims, mounted read-write: the root filesystem is read-only, so recordings go there. The pod's
     * fsGroup (the image's UID) makes a fresh volume writable by the worker.
     */
    private static void addRecordingVolumes(PodTemplateSpec template, WorkerOverrides overrides) {
        if (overrides.volumes == null) {
            return;
        }
        Container c = template.getSpec().getContainers().get(0);
        for (WorkerVolume v : overrides.volumes) {
            template.getSpec().getVolumes().add(new VolumeBuilder().withName(VOLUME_PREFIX + v.name)
                    .withNewPersistentVolumeClaim().withClaimName(v.claimName).endPersistentVolumeClaim().build());
            c.getVolumeMounts().add(new VolumeMountBuilder().withName(VOLUME_PREFIX + v.name).withMountPath(v.mountPath).build());
        }
    }

    /**
     * The internal address blocks the worker's own fence lets it connect to ({@code EgressFence}, issue 21): set by the
     * chart always ("none": not one); absent (an operator run by hand), the worker allows them all, as before.
     */
    public static java.util.List<EnvVar> egressEnv(OperatorConfig.Worker defaults) {
        return defaults.egressAllowedCidrs()
                .map(v -> new EnvVar(io.streammix.worker.media.EgressFence.ENV, v.trim().equals("none") ? "" : v.trim(), null))
                .map(java.util.List::of).orElse(java.util.List.of());
    }

    private Container container(MixTask task, WorkerOverrides overrides) {
        OperatorConfig.Worker defaults = config.worker();
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(overrides.image != null ? overrides.image : defaults.image())
                .withImagePullPolicy(defaults.imagePullPolicy().orElse(null))
                // One image, two roles: Main dispatches on the first argument.
                .withCommand("java", "-jar", "/deployments/quarkus-run.jar", "worker")
                .withEnv(
                        new EnvVar(ControlApi.ENV_SPEC_FILE, SECRET_DIR + "/" + ControlApi.SECRET_SPEC_KEY, null),
                        new EnvVar(ControlApi.ENV_TOKEN_FILE, SECRET_DIR + "/" + ControlApi.SECRET_TOKEN_KEY, null),
                        new EnvVar(ControlApi.ENV_SCRATCH_DIR, SCRATCH_DIR, null),
                        // The metrics' port and labels: which task a scraped series belongs to, without a Kubernetes lookup.
                        new EnvVar(MetricsServer.ENV_PORT, String.valueOf(defaults.metricsPort()), null),
                        new EnvVar(MetricsServer.ENV_NAMESPACE, task.getMetadata().getNamespace(), null),
                        new EnvVar(MetricsServer.ENV_TASK, task.getMetadata().getName(), null),
                        new EnvVar("MALLOC_ARENA_MAX", MALLOC_ARENA_MAX, null),
                        new EnvVar(JAVA_TOOL_OPTIONS, defaults.javaOptions() + TMPDIR_OPTION, null))
                .addAllToEnv(egressEnv(defaults))
                .addNewPort().withName("media").withContainerPort(ControlApi.MEDIA_PORT).withProtocol("TCP").endPort()
                .addNewPort().withName("control").withContainerPort(ControlApi.CONTROL_PORT).withProtocol("TCP").endPort()
                .addNewPort().withName(METRICS_PORT_NAME).withContainerPort(defaults.metricsPort()).withProtocol("TCP").endPort()
                .withResources(overrides.resources != null ? overrides.resources : defaultResources())
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                // Startup gives JavaCPP time to unpack FFmpeg; liveness then restarts a hung worker.
                .withStartupProbe(probe(ControlApi.LIVE, 2, 60))
                .withLivenessProbe(probe(ControlApi.LIVE, 10, 3))
                .withReadinessProbe(probe(ControlApi.READY, 5, 2))
                .addNewVolumeMount().withName("control").withMountPath(SECRET_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath(SCRATCH_DIR).endVolumeMount()
                .build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString("control")).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /** The taints a node gets when it stops answering; the node controller evicts pods that do not tolerate them. */
    static final List<String> NODE_LOSS_TAINTS = List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");

    /**
     * The tolerations plus a short one for each node-loss taint the list does not already tolerate (Kubernetes would
     * otherwise add 300 s ones): a mix on a lost node is replaced on another within about a minute, not six.
     */
    static List<Toleration> withNodeLoss(List<Toleration> tolerations, long seconds) {
        List<Toleration> all = new ArrayList<>(tolerations == null ? List.of() : tolerations);
        for (String taint : NODE_LOSS_TAINTS) {
            boolean tolerated = all.stream().anyMatch(t -> taint.equals(t.getKey())
                    || (t.getKey() == null && "Exists".equals(t.getOperator())));
            if (!tolerated) {
                all.add(new TolerationBuilder().withKey(taint).withOperator("Exists").withEffect("NoExecute")
                        .withTolerationSeconds(seconds).build());
            }
        }
        return all;
    }

    private static List<Toleration> defaultTolerations(OperatorConfig.Worker defaults) {
        return parseTolerations(defaults.tolerationsJson().orElse(""));
    }

    /**
     * Tolerations from {@code mixtask.worker.tolerations-json} (the chart's {@code worker.tolerations}); null when
     * blank. A value that is not a JSON array of tolerations fails the reconcile with the property's name.
     */
    public static List<Toleration> parseTolerations(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<List<Toleration>>() {
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("mixtask.worker.tolerations-json: not a JSON array of tolerations: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static Quantity memoryLimit(ResourceRequirements r) {
        return r == null || r.getLimits() == null ? null : r.getLimits().get("memory");
    }

    private ResourceRequirements defaultResources() {
        OperatorConfig.Worker w = config.worker();
        return new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity(w.cpuRequest()), "memory", new Quantity(w.memoryRequest())))
                .withLimits(Map.of("cpu", new Quantity(w.cpuLimit()), "memory", new Quantity(w.memoryLimit())))
                .build();
    }

    /**
     * The top-level spec fields whose change needs a new worker, as the model declares them
     * ({@link SpecChange}; a field without the annotation counts as a restart, the safe side).
     */
    static Map<String, Object> restartFields(MixTaskSpec spec) {
        Map<String, Object> fields = new TreeMap<>();
        for (Field field : MixTaskSpec.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            SpecChange change = field.getAnnotation(SpecChange.class);
            if (change == null || change.value() == ChangeClass.WORKER_RESTART) {
                try {
                    fields.put(field.getName(), field.get(spec));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("public field " + field, e);
                }
            }
        }
        return fields;
    }
}
