package io.streammix.testing.prometheus;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where {@code src/test/prometheus/build-promtool.sh} put promtool: {@code $PROMTOOL_DIR} (else
 * {@code ~/.cache/mixtask-operator/prometheus}) {@code /<module version>-linux-amd64/promtool}, the version read from
 * {@code src/test/prometheus/prometheus-version} so the script and the tests cannot disagree.
 *
 * <p>Without it (no Go) the tests that need it skip with one line saying how to build it; with
 * {@code MIXTASK_REQUIRE_CONTROL_PLANE=true} (CI) a missing promtool fails them, so a broken build never passes as a
 * skip.
 */
public final class Promtool {
    private final Path binary;

    private Promtool(Path binary) {
        this.binary = binary;
    }

    static Path expectedBinary() {
        String version;
        try {
            version = Files.readString(Path.of("src/test/prometheus/prometheus-version")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String root = System.getenv("PROMTOOL_DIR");
        Path base = root != null && !root.isBlank() ? Path.of(root)
                : Path.of(System.getProperty("user.home"), ".cache", "mixtask-operator", "prometheus");
        return base.resolve(version + "-linux-amd64").resolve("promtool");
    }

    /** promtool, or a skip of the calling test (a failure in CI) when it has not been built. */
    public static Promtool assumeAvailable() {
        Path binary = expectedBinary();
        if (Files.isExecutable(binary)) {
            return new Promtool(binary);
        }
        String missing = "promtool rule tests skipped: no promtool at " + binary
                + " (build it with `bash src/test/prometheus/build-promtool.sh`, which needs Go)";
        if (Boolean.parseBoolean(System.getenv("MIXTASK_REQUIRE_CONTROL_PLANE"))) {
            throw new IllegalStateException(missing.replace("skipped", "cannot run") + " and MIXTASK_REQUIRE_CONTROL_PLANE is set");
        }
        Assumptions.abort(missing);
        throw new AssertionError("unreachable");
    }

    /** What one run of promtool printed, and its exit code. */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code promtool args...} in {@code dir}, stdout and stderr together. */
    public Result run(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("promtool " + args[0] + " did not finish in 60 s: " + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
