package io.streammix.testing.kube;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code src/test/kube/build-control-plane.sh} put the control plane's binaries:
 * {@code $KUBE_API_TEST_DIR} (else {@code ~/.cache/mixtask-operator/kube}) {@code /k8s/<version>-linux-amd64/}, the
 * version read from {@code src/test/kube/kubernetes-version} so the script and the tests cannot disagree.
 *
 * <p>Without them (a contributor with only a JDK: Maven runs the script, which needs Go) the tests that need them
 * skip with one line saying how to build them. CI sets {@code MIXTASK_REQUIRE_CONTROL_PLANE=true}: there a missing
 * binary fails the test instead, so a broken build can never pass as a skip.
 */
public final class ControlPlaneBinaries {
    static final List<String> TOOLS = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");

    private ControlPlaneBinaries() {
    }

    public static String kubernetesVersion() {
        try {
            return Files.readString(Path.of("src/test/kube/kubernetes-version")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path expectedDirectory() {
        String root = System.getenv("KUBE_API_TEST_DIR");
        Path base = root != null && !root.isBlank() ? Path.of(root)
                : Path.of(System.getProperty("user.home"), ".cache", "mixtask-operator", "kube");
        return base.resolve("k8s").resolve(kubernetesVersion() + "-linux-amd64");
    }

    public static Optional<Path> directory() {
        Path dir = expectedDirectory();
        return TOOLS.stream().allMatch(t -> Files.isExecutable(dir.resolve(t))) ? Optional.of(dir) : Optional.empty();
    }

    static String missingMessage() {
        return "real kube-apiserver tests skipped: no control-plane binaries in " + expectedDirectory()
                + " (build them with `bash src/test/kube/build-control-plane.sh`, which needs Go)";
    }

    /** Skips the calling test (or fails it in CI) when the binaries are not there. */
    public static void assumeAvailable() {
        if (directory().isPresent()) {
            return;
        }
        if (Boolean.parseBoolean(System.getenv("MIXTASK_REQUIRE_CONTROL_PLANE"))) {
            throw new IllegalStateException(missingMessage().replace("skipped", "cannot run")
                    + " and MIXTASK_REQUIRE_CONTROL_PLANE is set");
        }
        Assumptions.abort(missingMessage());
    }
}
