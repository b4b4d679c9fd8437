package io.streammix.testing.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.streammix.testing.kube.ControlPlane;
import io.streammix.testing.kube.Kubectl;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes cluster on this machine, for the tests tagged {@value #TAG}: the control plane of
 * {@link ControlPlane#forNodes} (etcd, kube-apiserver, kube-controller-manager with all its controllers) listening on
 * the host's end of a bridge, kube-scheduler and CoreDNS beside it, and nodes each in a network namespace of its own
 * ({@code src/test/node/node.sh}): Debian's containerd + runc, kubelet, kube-proxy (iptables), the bridge CNI, and
 * kube-router's firewall enforcing NetworkPolicy (test-only). Images come from no registry: the project's image tar
 * (built by the build), and two tiny tool images made here ({@code tool-image.sh}), are imported into each node's
 * containerd.
 *
 * <p>Addresses: API server 10.213.0.1, CoreDNS 10.213.0.2 (the {@code kube-dns} Service, 10.96.0.10, points there),
 * node N 10.213.0.(10+N) with pods in 10.244.N.0/24; Services in 10.96.0.0/16. Nothing is routed off the machine.
 *
 * <p>One per test class; the caller closes it, which stops every process and removes every namespace, mount and
 * cgroup it made. Single-threaded: the test thread drives it.
 */
public final class NodeCluster implements AutoCloseable {
    /** The JUnit tag of the tests on real nodes: failsafe runs them after the image is built ({@code -Dgroups=node}). */
    public static final String TAG = "node";
    public static final String API_ADDRESS = "10.213.0.1";
    public static final String DNS_ADDRESS = "10.213.0.2";
    public static final String DNS_SERVICE_IP = "10.96.0.10";
    /** A link-local address on the host bridge standing in for a cloud's metadata server (the policy test dials it). */
    public static final String METADATA_ADDRESS = "169.254.169.254";
    public static final String PAUSE_IMAGE = "registry.local/mixtask-test/pause:1";
    public static final String NETCHECK_IMAGE = "registry.local/mixtask-test/netcheck:1";
    private static final Logger LOG = Logger.getLogger(NodeCluster.class);
    private static final java.util.concurrent.atomic.AtomicInteger CLUSTERS = new java.util.concurrent.atomic.AtomicInteger();

    private final Path dir;
    private final Path nodeBin;
    private final ControlPlane cp;
    private final List<Process> hostProcesses = new ArrayList<>();
    private final Map<String, Integer> nodes = new LinkedHashMap<>();
    /** How long each node took from `node.sh up` to Ready, for the tests' figures. */
    private final Map<String, Duration> nodeReady = new LinkedHashMap<>();
    private final Duration controlPlaneStart;

    /**
     * Starts the control plane, scheduler and DNS and the named nodes (node 1, 2, ... in that order), each with the
     * project's image and the tool images imported, and waits until every node is Ready.
     */
    public static NodeCluster start(Path projectImageTar, String... nodeNames) {
        NodeBinaries.assumeAvailable();
        return new NodeCluster(projectImageTar, nodeNames);
    }

    private NodeCluster(Path projectImageTar, String... nodeNames) {
        // One directory per cluster (several test classes share a JVM): a second cluster must not find the first's etcd.
        this.dir = Path.of("target", "node-cluster").toAbsolutePath()
                .resolve("run-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet());
        this.nodeBin = NodeBinaries.directory().orElseThrow();
        try {
            Files.createDirectories(dir);
            cleanStale();
            sh("host-up");
            long began = System.nanoTime();
            cp = ControlPlane.forNodes(API_ADDRESS, dir.resolve("control-plane"));
            startScheduler();
            startCoreDns();
            controlPlaneStart = Duration.ofNanos(System.nanoTime() - began);
            prepareImages(projectImageTar);
            for (String name : nodeNames) {
                addNode(name);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    public ControlPlane controlPlane() {
        return cp;
    }

    public KubernetesClient adminClient() {
        return cp.adminClient();
    }

    public Kubectl.Result kubectl(String... args) {
        return cp.kubectl(args);
    }

    public Duration controlPlaneStart() {
        return controlPlaneStart;
    }

    public Map<String, Duration> nodeReadyTimes() {
        return Map.copyOf(nodeReady);
    }

    /** Brings up one more node (its index is the next free one) and waits until it is Ready. */
    public void addNode(String name) {
        int index = nodes.size() + 1;
        long began = System.nanoTime();
        sh("up", name, String.valueOf(index), cp.kubeconfig().toString());
        nodes.put(name, index);
        awaitReady(name, Duration.ofSeconds(90));
        try (KubernetesClient admin = cp.adminClient()) {
            // The pod range the node's CNI config hands out, recorded where kube-router and users look for it.
            admin.nodes().withName(name).edit(n -> {
                if (n.getSpec().getPodCIDR() == null) {
                    n.getSpec().setPodCIDR("10.244." + index + ".0/24");
                    n.getSpec().setPodCIDRs(List.of("10.244." + index + ".0/24"));
                }
                return n;
            });
        }
        nodeReady.put(name, Duration.ofNanos(System.nanoTime() - began));
        LOG.infof("node %s Ready in %d ms", name, nodeReady.get(name).toMillis());
    }

    /**
     * Node loss: every process of the node (kubelet, kube-proxy, kube-router, containerd, its shims and containers)
     * killed at once and its link to the bridge cut. The Node object stays; the node controller finds it gone.
     */
    public void killNode(String name) {
        sh("kill", name);
    }

    /** The node's directory of logs and configuration. */
    public Path nodeRunDirectory(String name) {
        return Path.of(NodeBinaries.RUN_ROOT, name);
    }

    public Path directory() {
        return dir;
    }

    private void awaitReady(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KubernetesClient admin = cp.adminClient()) {
            while (System.nanoTime() < deadline) {
                Node node = admin.nodes().withName(name).get();
                if (node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                        && node.getStatus().getConditions().stream().anyMatch(NodeCluster::ready)) {
                    return;
                }
                sleep(200);
            }
        }
        throw new IllegalStateException("node " + name + " not Ready in " + timeout + "; its logs are kept in " + dir.resolve(name));
    }

    private static boolean ready(NodeCondition c) {
        return "Ready".equals(c.getType()) && "True".equals(c.getStatus());
    }

    private void startScheduler() throws IOException {
        String kubeconfig = cp.kubeconfig().toString();
        start("kube-scheduler", List.of(nodeBin.resolve("kube-scheduler").toString(), "--kubeconfig", kubeconfig,
                "--authentication-kubeconfig", kubeconfig, "--authorization-kubeconfig", kubeconfig,
                "--leader-elect=false", "--bind-address", "127.0.0.1", "--secure-port", String.valueOf(ControlPlane.freePort()), "--v", "1"));
    }

    /**
     * CoreDNS on the host's bridge address, serving cluster.local from the API server; pods reach it through the
     * {@code kube-dns} Service (a selector-less Service whose EndpointSlice names the host address), as kubelet's
     * clusterDNS says. It answers nothing outside the cluster: no forwarding off the machine.
     */
    private void startCoreDns() throws IOException {
        Path corefile = dir.resolve("Corefile");
        Files.writeString(corefile, """
                .:53 {
                    bind %s
                    errors
                    kubernetes cluster.local in-addr.arpa ip6.arpa {
                        kubeconfig %s admin@loopback
                        pods insecure
                        fallthrough in-addr.arpa ip6.arpa
                    }
                    cache 5
                }
                """.formatted(DNS_ADDRESS, cp.kubeconfig()));
        start("coredns", List.of(nodeBin.resolve("coredns").toString(), "-conf", corefile.toString()));
        try (KubernetesClient admin = cp.adminClient()) {
            admin.services().inNamespace("kube-system").resource(new ServiceBuilder()
                    .withNewMetadata().withName("kube-dns").withNamespace("kube-system").endMetadata()
                    .withNewSpec().withClusterIP(DNS_SERVICE_IP)
                    .addNewPort().withName("dns").withProtocol("UDP").withPort(53).endPort()
                    .addNewPort().withName("dns-tcp").withProtocol("TCP").withPort(53).endPort()
                    .endSpec().build()).create();
            admin.discovery().v1().endpointSlices().inNamespace("kube-system").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("kube-dns-host").withNamespace("kube-system")
                    .withLabels(Map.of("kubernetes.io/service-name", "kube-dns",
                            "endpointslice.kubernetes.io/managed-by", "node-cluster.streammix.io"))
                    .endMetadata()
                    .withAddressType("IPv4")
                    .addNewEndpoint().withAddresses(DNS_ADDRESS).withNewConditions().withReady(true).endConditions().endEndpoint()
                    .addNewPort().withName("dns").withProtocol("UDP").withPort(53).endPort()
                    .addNewPort().withName("dns-tcp").withProtocol("TCP").withPort(53).endPort()
                    .build()).create();
        }
    }

    /** The tool images (pause, netcheck) made here, and the project's image: node.sh imports all at node start. */
    private void prepareImages(Path projectImageTar) throws IOException {
        Path images = Files.createDirectories(Path.of(NodeBinaries.RUN_ROOT, "images"));
        try (var old = Files.list(images)) {
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
        toolImage(PAUSE_IMAGE, "pause", images.resolve("pause.tar"));
        toolImage(NETCHECK_IMAGE, "netcheck", images.resolve("netcheck.tar"));
        if (projectImageTar != null) {
            Files.createSymbolicLink(images.resolve("project.tar"), projectImageTar.toAbsolutePath());
        }
    }

    private void toolImage(String name, String binary, Path out) {
        run(List.of("bash", "src/test/node/tool-image.sh", name, nodeBin.resolve(binary).toString(), out.toString()));
    }

    /** What an earlier run left behind when its JVM was killed: its nodes and the bridge. */
    private void cleanStale() {
        Path run = Path.of(NodeBinaries.RUN_ROOT);
        if (Files.isDirectory(run)) {
            try (var entries = Files.list(run)) {
                for (Path p : entries.toList()) {
                    if (!p.getFileName().toString().equals("images")) {
                        sh("down", p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        sh("host-down");
    }

    private void sh(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", "src/test/node/node.sh"));
        command.addAll(List.of(args));
        run(command);
    }

    private void run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node-sh.log").toFile()));
            builder.environment().put("MIXTASK_NODE_BIN", nodeBin.toString());
            Process p = builder.start();
            p.getOutputStream().close();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 180 s; see " + dir.resolve("node-sh.log"));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                        + tail(dir.resolve("node-sh.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A node's logs, copied beside the cluster's before `down` removes its directory (read them after a failure). */
    private void keepLogs(String name) {
        Path from = nodeRunDirectory(name);
        try (var files = Files.list(from)) {
            Path to = Files.createDirectories(dir.resolve(name));
            for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warnf("node %s: logs not kept: %s", name, e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void start(String name, List<String> command) throws IOException {
        hostProcesses.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (String name : new ArrayList<>(nodes.keySet())) {
            try {
                keepLogs(name);
                sh("down", name);
            } catch (RuntimeException e) {
                LOG.warnf("node %s: %s", name, e.getMessage());
            }
        }
        nodes.clear();
        ControlPlane.stopInReverse(hostProcesses);
        if (cp != null) {
            cp.close();
        }
        try {
            sh("host-down");
        } catch (RuntimeException e) {
            LOG.warnf("bridge: %s", e.getMessage());
        }
    }
}
