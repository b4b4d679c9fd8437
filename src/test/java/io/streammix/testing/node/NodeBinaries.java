package io.streammix.testing.node;

import io.streammix.testing.kube.ControlPlaneBinaries;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a real node needs on this machine: the binaries {@code src/test/node/build-node-binaries.sh} builds (in
 * {@code $KUBE_API_TEST_DIR} or {@code ~/.cache/mixtask-operator/kube}, {@code node/v<version>/}), the control plane's,
 * Debian's containerd, runc, iptables and ipset, and root (namespaces, mounts, cgroups). Without them the node tests
 * skip with one line saying what is missing; in CI ({@code MIXTASK_REQUIRE_CONTROL_PLANE=true}) they fail instead.
 */
public final class NodeBinaries {
    static final String RUN_ROOT = System.getenv().getOrDefault("MIXTASK_NODE_RUN", "/run/mixtask-node");
    static final List<String> TOOLS = List.of("kubelet", "kube-proxy", "kube-scheduler", "coredns", "kube-router", "pause",
            "netcheck", "cni/bridge", "cni/host-local", "cni/loopback", "cni/portmap");
    static final List<String> HOST_COMMANDS = List.of("containerd", "containerd-shim-runc-v2", "runc", "ctr", "iptables",
            "ipset", "nsenter", "ip");

    private NodeBinaries() {
    }

    static Path expectedDirectory() {
        String root = System.getenv("KUBE_API_TEST_DIR");
        Path base = root != null && !root.isBlank() ? Path.of(root)
                : Path.of(System.getProperty("user.home"), ".cache", "mixtask-operator", "kube");
        return base.resolve("node").resolve("v" + ControlPlaneBinaries.kubernetesVersion());
    }

    public static Optional<Path> directory() {
        Path dir = expectedDirectory();
        return TOOLS.stream().allMatch(t -> Files.isExecutable(dir.resolve(t))) ? Optional.of(dir) : Optional.empty();
    }

    /** What is missing for a real node here; empty when nothing is. */
    static List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (ControlPlaneBinaries.directory().isEmpty()) {
            missing.add("the control plane's binaries (bash src/test/kube/build-control-plane.sh)");
        }
        if (directory().isEmpty()) {
            missing.add("the node binaries in " + expectedDirectory() + " (bash src/test/node/build-node-binaries.sh)");
        }
        for (String c : HOST_COMMANDS) {
            if (!onPath(c)) {
                missing.add(c);
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (network namespaces, mounts, cgroups)");
        }
        return missing;
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
    }

    /** Skips the calling test (or fails it in CI) when a real node cannot run here. */
    public static void assumeAvailable() {
        List<String> missing = missing();
        if (missing.isEmpty()) {
            return;
        }
        String message = "real-node tests skipped: missing " + String.join(", ", missing)
                + " (the Debian packages: containerd runc iptables ipset)";
        if (Boolean.parseBoolean(System.getenv("MIXTASK_REQUIRE_CONTROL_PLANE"))) {
            throw new IllegalStateException(message.replace("skipped", "cannot run") + " and MIXTASK_REQUIRE_CONTROL_PLANE is set");
        }
        Assumptions.abort(message);
    }
}
