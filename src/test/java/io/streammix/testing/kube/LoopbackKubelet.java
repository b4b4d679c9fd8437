package io.streammix.testing.kube;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A kubelet stand-in on loopback, for {@link ControlPlane}: it registers a Node, binds every pending pod to it
 * (there is no scheduler), and runs each pod as what it is -- its container's command as a local process, its
 * volumes materialised from the API (Secrets, emptyDirs, claims as directories), its own loopback address
 * (127.0.0.N) as pod IP -- then reports the pod through {@code pods/status} (Running, Ready from the pod's own
 * readiness probe, restarts), restarts the process as the restart policy says, and stops it when the pod is
 * deleted. Only the container runtime is stood in for: the process is the real worker, started the way the image
 * starts it ({@link PodProcess}).
 *
 * <p>Threads: the informer's thread only hands events to a single-threaded executor, which does all binding and
 * starting/stopping; each pod's probes and restarts run on that pod's own threads.
 */
public final class LoopbackKubelet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoopbackKubelet.class);
    public static final String NODE = "loopback-node";

    /** What a pod's container is here: the real process, or nothing at all (Ready at once, for scale benchmarks). */
    public enum Runtime { PROCESSES, READY_WITHOUT_PROCESSES }

    private final KubernetesClient client;
    private final Path root;
    private final Runtime runtime;
    private final AtomicInteger readyOnlyPods = new AtomicInteger();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> new Thread(r, "kubelet-events"));
    private final Map<String, PodProcess> running = new ConcurrentHashMap<>();
    /** Pod IPs 127.0.0.2 .. 127.0.0.254; 127.0.0.1 is the host's (the control plane and the tests' own servers). */
    private final AtomicInteger nextIp = new AtomicInteger(2);
    private SharedIndexInformer<Pod> informer;

    public LoopbackKubelet(KubernetesClient admin, Path root, Runtime runtime) {
        this.client = admin;
        this.runtime = runtime;
        try {
            this.root = Files.createDirectories(root.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Runtime runtime() {
        return runtime;
    }

    public LoopbackKubelet start() {
        registerNode();
        informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                events.execute(() -> handle(pod));
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                events.execute(() -> handle(pod));
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                events.execute(() -> gone(pod));
            }
        });
        return this;
    }

    private void registerNode() {
        if (client.nodes().withName(NODE).get() != null) {
            return;
        }
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE)
                .withLabels(Map.of("kubernetes.io/hostname", NODE, "kubernetes.io/os", "linux")).endMetadata()
                .build()).create();
        client.nodes().withName(NODE).editStatus(n -> new NodeBuilder(n).withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("loopback kubelet is posting ready status").endCondition()
                .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .addToCapacity("cpu", new io.fabric8.kubernetes.api.model.Quantity("2"))
                .addToCapacity("memory", new io.fabric8.kubernetes.api.model.Quantity("24Gi"))
                .addToCapacity("pods", new io.fabric8.kubernetes.api.model.Quantity("250"))
                .endStatus().build());
    }

    private void handle(Pod pod) {
        String key = key(pod);
        try {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                PodProcess p = running.remove(key);
                if (p != null) {
                    p.stop(Optional.ofNullable(pod.getMetadata().getDeletionGracePeriodSeconds()).orElse(30L));
                }
                // As the kubelet does once the containers are gone: remove the object for good.
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withGracePeriod(0).delete();
                return;
            }
            if (pod.getSpec().getNodeName() == null) {
                bind(pod);
                return;
            }
            if (runtime == Runtime.READY_WITHOUT_PROCESSES) {
                if (NODE.equals(pod.getSpec().getNodeName()) && (pod.getStatus() == null || pod.getStatus().getPodIP() == null)) {
                    PodProcess.markReady(client, pod, "127.1." + readyOnlyPods.get() / 250 + "." + (2 + readyOnlyPods.getAndIncrement() % 250));
                }
                return;
            }
            if (NODE.equals(pod.getSpec().getNodeName()) && !running.containsKey(key)) {
                String ip = "127.0.0." + nextIp.getAndUpdate(i -> i >= 254 ? 2 : i + 1);
                PodProcess p = new PodProcess(client, pod, ip, root.resolve(pod.getMetadata().getNamespace() + "_"
                        + pod.getMetadata().getName()), root.resolve("claims"));
                running.put(key, p);
                p.start();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                LOG.warnf("kubelet: pod %s: %s", key, e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "kubelet: pod %s", key);
        }
    }

    private void bind(Pod pod) {
        client.bindings().inNamespace(pod.getMetadata().getNamespace()).resource(new BindingBuilder()
                .withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace()).endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName(NODE).endTarget()
                .build()).create();
    }

    private void gone(Pod pod) {
        PodProcess p = running.remove(key(pod));
        if (p != null) {
            p.stop(0);
        }
    }

    /** The process of a running pod, for tests that act as a crash would (SIGKILL). */
    public Optional<PodProcess> process(String namespace, String podName) {
        return Optional.ofNullable(running.get(namespace + "/" + podName));
    }

    public List<PodProcess> processes() {
        return List.copyOf(running.values());
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** Container images this kubelet can run: only ours (a pod asking for anything else stays waiting). */
    static boolean runnable(Container c) {
        return c.getCommand() != null && c.getCommand().size() >= 3 && "java".equals(c.getCommand().get(0));
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        events.shutdownNow();
        running.values().forEach(p -> p.stop(0));
        running.clear();
    }
}
