package io.streammix.testing.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pod of {@link LoopbackKubelet}: its single container as a local process on the pod's own loopback address,
 * supervised as the kubelet supervises it -- startup, readiness and liveness probes at the periods the pod asks
 * for, restarts with the kubelet's back-off (the first at once, then 10 s doubling), and the pod's status written
 * through {@code pods/status} whenever it changes.
 *
 * <p>How the image is stood in for: {@code java -jar /deployments/quarkus-run.jar ARGS} runs the local build's
 * classes ({@code java -cp <test classpath> io.streammix.Main ARGS}); each volume mount is a directory here (a
 * Secret's keys written as files, read from the API at every container start as the kubelet syncs them; an
 * emptyDir; a claim as a directory that outlives the pod), and every path under a mount in the container's
 * environment is rewritten to that directory. The pod's network namespace is its address: the process gets
 * {@code MIXTASK_BIND_ADDRESS=<pod IP>}. A memory limit becomes the JVM's {@code -XX:MaxRAM}, which is what the JVM
 * reads from its cgroup in a container.
 */
public final class PodProcess {
    private static final Logger LOG = Logger.getLogger(PodProcess.class);
    private static final String IMAGE_JAR = "/deployments/quarkus-run.jar";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Pod pod;
    private final Container container;
    private final String ip;
    private final Path dir;
    private final Path claims;
    private final Thread supervisor;

    private volatile Process process;
    private volatile boolean stopping;
    private int restarts;
    private boolean started;
    private boolean ready;
    private Instant startedAt;
    private Integer lastExitCode;
    private Instant lastFinishedAt;
    private int livenessFailures;
    private int startupFailures;
    private String lastPublished = "";

    PodProcess(KubernetesClient client, Pod pod, String ip, Path dir, Path claims) {
        this.client = client;
        this.pod = pod;
        this.namespace = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        this.container = pod.getSpec().getContainers().get(0);
        this.ip = ip;
        this.dir = dir;
        this.claims = claims;
        this.supervisor = new Thread(this::supervise, "pod-" + name);
        this.supervisor.setDaemon(true);
    }

    void start() {
        supervisor.start();
    }

    public String podIp() {
        return ip;
    }

    public String podName() {
        return name;
    }

    public Path log() {
        return dir.resolve(container.getName() + ".log");
    }

    /** The running process, if any (between a crash and its restart there is none). */
    public java.util.Optional<ProcessHandle> handle() {
        Process p = process;
        return p != null && p.isAlive() ? java.util.Optional.of(p.toHandle()) : java.util.Optional.empty();
    }

    /** As a crash or the OOM killer would end it: SIGKILL, no shutdown hooks. */
    public void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** As on pod deletion: SIGTERM, then SIGKILL after the grace period. */
    void stop(long graceSeconds) {
        stopping = true;
        supervisor.interrupt();
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(Math.max(graceSeconds, 0), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void supervise() {
        try {
            if (!LoopbackKubelet.runnable(container)) {
                publish("Pending", waiting("ErrImagePull", "the loopback kubelet runs only java commands"));
                return;
            }
            Files.createDirectories(dir);
            long nextStartAt = 0;
            Map<String, Long> nextProbe = new HashMap<>();
            while (!stopping) {
                long now = System.currentTimeMillis();
                if (process == null && now >= nextStartAt) {
                    try {
                        launch();
                    } catch (VolumeNotReadyException e) {
                        // As the kubelet: the container waits in ContainerCreating until its volumes can be made.
                        publish("Pending", waiting("ContainerCreating", e.getMessage()));
                        nextStartAt = now + 500;
                        continue;
                    }
                    nextProbe.clear();
                }
                Process p = process;
                if (p != null && !p.isAlive()) {
                    lastExitCode = p.exitValue();
                    lastFinishedAt = Instant.now();
                    process = null;
                    ready = false;
                    started = false;
                    // The kubelet's back-off: the first restart at once, then 10 s, 20 s, ... at most 5 minutes.
                    long backoff = restarts == 0 ? 0 : Math.min(300_000L, 10_000L << Math.min(restarts - 1, 5));
                    restarts++;
                    nextStartAt = System.currentTimeMillis() + backoff;
                    publish("Running", waiting(backoff == 0 ? "ContainerCreating" : "CrashLoopBackOff",
                            "back-off " + backoff / 1000 + "s restarting failed container"));
                    continue;
                }
                if (p != null) {
                    probe(nextProbe, now);
                    publish("Running", runningStatus());
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.errorf(e, "pod %s/%s", namespace, name);
        }
    }

    private void probe(Map<String, Long> nextProbe, long now) {
        Probe startup = container.getStartupProbe();
        if (!started) {
            if (startup == null) {
                started = true;
            } else if (due(nextProbe, "startup", startup, now)) {
                if (check(startup)) {
                    started = true;
                    startupFailures = 0;
                } else if (++startupFailures >= threshold(startup)) {
                    restartUnhealthy("startup");
                }
            }
            if (!started) {
                return;
            }
        }
        Probe readiness = container.getReadinessProbe();
        if (readiness == null) {
            ready = true;
        } else if (due(nextProbe, "readiness", readiness, now)) {
            ready = check(readiness);
        }
        Probe liveness = container.getLivenessProbe();
        if (liveness != null && due(nextProbe, "liveness", liveness, now)) {
            livenessFailures = check(liveness) ? 0 : livenessFailures + 1;
            if (livenessFailures >= threshold(liveness)) {
                restartUnhealthy("liveness");
            }
        }
    }

    private void restartUnhealthy(String which) {
        LOG.infof("pod %s/%s: %s probe failed, restarting the container", namespace, name, which);
        livenessFailures = 0;
        startupFailures = 0;
        Process p = process;
        if (p != null) {
            p.destroy();
            try {
                long grace = pod.getSpec().getTerminationGracePeriodSeconds() == null ? 30 : pod.getSpec().getTerminationGracePeriodSeconds();
                if (!p.waitFor(grace, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean due(Map<String, Long> next, String which, Probe probe, long now) {
        Long at = next.get(which);
        if (at == null) {
            at = now + seconds(probe.getInitialDelaySeconds(), 0) * 1000L;
            next.put(which, at);
        }
        if (now < at) {
            return false;
        }
        next.put(which, now + seconds(probe.getPeriodSeconds(), 10) * 1000L);
        return true;
    }

    private static int threshold(Probe probe) {
        return seconds(probe.getFailureThreshold(), 3);
    }

    private static int seconds(Integer value, int dflt) {
        return value == null ? dflt : value;
    }

    private boolean check(Probe probe) {
        if (probe.getHttpGet() == null) {
            return true;
        }
        var get = probe.getHttpGet();
        int port = get.getPort().getIntVal() != null ? get.getPort().getIntVal() : namedPort(get.getPort().getStrVal());
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + get.getPath()))
                    .timeout(Duration.ofSeconds(seconds(probe.getTimeoutSeconds(), 1))).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() >= 200 && r.statusCode() < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int namedPort(String portName) {
        return container.getPorts().stream().filter(p -> portName.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new IllegalStateException("no container port named " + portName));
    }

    private void launch() throws IOException {
        Map<String, Path> mounts = materializeVolumes();
        List<String> command = new ArrayList<>();
        List<String> declared = new ArrayList<>(container.getCommand());
        if (container.getArgs() != null) {
            declared.addAll(container.getArgs());
        }
        for (int i = 0; i < declared.size(); i++) {
            String arg = declared.get(i);
            if (i == 0 && arg.equals("java")) {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            } else if (arg.equals("-jar") && i + 1 < declared.size() && declared.get(i + 1).equals(IMAGE_JAR)) {
                // The image's application: the classes of this build.
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.streammix.Main"));
                i++;
            } else {
                command.add(remap(arg, mounts));
            }
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("MIXTASK_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("HOME", dir.toString());
        env.put("HOSTNAME", name);
        for (EnvVar e : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            env.put(e.getName(), remap(value(e), mounts));
        }
        String maxRam = maxRam();
        if (maxRam != null) {
            env.merge("JAVA_TOOL_OPTIONS", maxRam, (a, b) -> a + " " + b);
        }
        env.put("MIXTASK_BIND_ADDRESS", ip);
        Files.writeString(log(), "=== loopback kubelet: starting " + container.getName() + " (restart " + restarts + ") at "
                + Instant.now() + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = pb.start();
        startedAt = Instant.now();
    }

    private String maxRam() {
        if (container.getResources() == null || container.getResources().getLimits() == null) {
            return null;
        }
        Quantity memory = container.getResources().getLimits().get("memory");
        return memory == null ? null : "-XX:MaxRAM=" + Quantity.getAmountInBytes(memory).toBigInteger();
    }

    private String value(EnvVar e) {
        if (e.getValueFrom() == null) {
            return e.getValue() == null ? "" : e.getValue();
        }
        if (e.getValueFrom().getFieldRef() != null) {
            return switch (e.getValueFrom().getFieldRef().getFieldPath()) {
                case "status.podIP" -> ip;
                case "metadata.name" -> name;
                case "metadata.namespace" -> namespace;
                default -> "";
            };
        }
        if (e.getValueFrom().getSecretKeyRef() != null) {
            Secret s = client.secrets().inNamespace(namespace).withName(e.getValueFrom().getSecretKeyRef().getName()).get();
            String v = s == null || s.getData() == null ? null : s.getData().get(e.getValueFrom().getSecretKeyRef().getKey());
            return v == null ? "" : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
        }
        return "";
    }

    /** Each mount path -> the directory standing in for it, longest first so nested mounts win. */
    private Map<String, Path> materializeVolumes() throws IOException {
        Map<String, Volume> volumes = new HashMap<>();
        pod.getSpec().getVolumes().forEach(v -> volumes.put(v.getName(), v));
        Map<String, Path> mounts = new LinkedHashMap<>();
        List<VolumeMount> sorted = new ArrayList<>(container.getVolumeMounts());
        sorted.sort((a, b) -> b.getMountPath().length() - a.getMountPath().length());
        for (VolumeMount m : sorted) {
            Volume v = volumes.get(m.getName());
            Path at;
            if (v.getSecret() != null) {
                at = Files.createDirectories(dir.resolve("volumes").resolve(v.getName()));
                Secret s = client.secrets().inNamespace(namespace).withName(v.getSecret().getSecretName()).get();
                if (s == null) {
                    throw new VolumeNotReadyException("secret \"" + v.getSecret().getSecretName() + "\" not found");
                }
                for (var entry : (s.getData() == null ? Map.<String, String>of() : s.getData()).entrySet()) {
                    Files.write(at.resolve(entry.getKey()), Base64.getDecoder().decode(entry.getValue()));
                }
            } else if (v.getPersistentVolumeClaim() != null) {
                at = Files.createDirectories(claims.resolve(namespace).resolve(v.getPersistentVolumeClaim().getClaimName()));
            } else {
                // emptyDir and anything else: a directory of this pod.
                at = Files.createDirectories(dir.resolve("volumes").resolve(v.getName()));
            }
            mounts.put(m.getMountPath(), at);
        }
        return mounts;
    }

    private static String remap(String value, Map<String, Path> mounts) {
        String out = value;
        for (var m : mounts.entrySet()) {
            Pattern p = Pattern.compile("(^|[=\\s:])" + Pattern.quote(m.getKey()) + "(?=/|$|\\s)");
            out = p.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(m.getValue().toString()));
        }
        return out;
    }

    private ContainerStatus runningStatus() {
        return base().withReady(ready).withStarted(started)
                .withNewState().withNewRunning().withStartedAt(startedAt.toString()).endRunning().endState().build();
    }

    private ContainerStatus waiting(String reason, String message) {
        return base().withReady(false).withStarted(false)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build();
    }

    private ContainerStatusBuilder base() {
        ContainerStatusBuilder b = new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                .withImageID("loopback://" + container.getImage()).withContainerID("loopback://" + namespace + "/" + name)
                .withRestartCount(restarts);
        if (lastExitCode != null) {
            b.withNewLastState().withNewTerminated().withExitCode(lastExitCode)
                    .withReason(lastExitCode == 137 ? "Error" : lastExitCode == 0 ? "Completed" : "Error")
                    .withFinishedAt(lastFinishedAt.toString()).endTerminated().endLastState();
        }
        return b;
    }

    private void publish(String phase, ContainerStatus status) {
        boolean isReady = Boolean.TRUE.equals(status.getReady());
        String fingerprint = phase + isReady + status.getRestartCount() + status.getState().getWaiting() + status.getStarted();
        if (fingerprint.equals(lastPublished) || stopping) {
            return;
        }
        String now = Instant.now().toString();
        List<PodCondition> conditions = List.of(
                condition("PodScheduled", true, now), condition("Initialized", true, now),
                condition("ContainersReady", isReady, now), condition("Ready", isReady, now));
        try {
            client.pods().inNamespace(namespace).withName(name).editStatus(p -> new PodBuilder(p).editOrNewStatus()
                    .withPhase(phase).withHostIP("127.0.0.1").withPodIP(ip)
                    .withPodIPs(new io.fabric8.kubernetes.api.model.PodIP(ip))
                    .withStartTime(p.getStatus() != null && p.getStatus().getStartTime() != null ? p.getStatus().getStartTime() : now)
                    .withConditions(conditions).withContainerStatuses(status).endStatus().build());
            lastPublished = fingerprint;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.warnf("pod %s/%s: status not written: %s", namespace, name, e.getMessage());
            }
        }
    }

    /** A pod with no process at all, Running and Ready at once with this IP (scale benchmarks). */
    static void markReady(KubernetesClient client, Pod pod, String ip) {
        String now = Instant.now().toString();
        Container c = pod.getSpec().getContainers().get(0);
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> new PodBuilder(p)
                .editOrNewStatus().withPhase("Running").withHostIP("127.0.0.1").withPodIP(ip)
                .withPodIPs(new io.fabric8.kubernetes.api.model.PodIP(ip)).withStartTime(now)
                .withConditions(condition("PodScheduled", true, now), condition("Initialized", true, now),
                        condition("ContainersReady", true, now), condition("Ready", true, now))
                .withContainerStatuses(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                        .withImageID("loopback://" + c.getImage()).withReady(true).withStarted(true).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt(now).endRunning().endState().build())
                .endStatus().build());
    }

    private static PodCondition condition(String type, boolean status, String now) {
        return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False").withLastTransitionTime(now).build();
    }

    /** A volume that cannot be made yet (its Secret does not exist): the container waits. */
    private static final class VolumeNotReadyException extends RuntimeException {
        VolumeNotReadyException(String message) {
            super(message);
        }
    }

    /** Restarts so far (the pod's restartCount). */
    public int restarts() {
        return restarts;
    }

    @Override
    public String toString() {
        return namespace + "/" + name + "@" + ip;
    }
}
