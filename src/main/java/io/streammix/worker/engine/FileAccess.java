package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.WorkerVolume;
import io.streammix.api.validation.LocalPath;
import io.streammix.api.validation.UrlPolicy;
import io.streammix.api.validation.Violation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which files a worker may open (issue 13: "plain paths only under the volumes the task mounts"). In a pod the worker
 * is confined to the task's volumes ({@code spec.worker.volumes}, mounted when the pod started) and its scratch output
 * directory; a relative path is taken under that output directory. Paths are compared after resolving symbolic links
 * (a link on a volume cannot point out of it) for the file or, for a file not yet written, its nearest existing parent.
 * The path checked is the one opened: {@link LocalPath#path} decodes a {@code file:} URL once, for this check and for
 * the openers alike (issue 21: {@code %2E%2E} passed a check of the undecoded text and was decoded by the opener).
 * A confined URL is rewritten to that real path, which is what FFmpeg opens; with {@code OpenedFiles} an input is kept
 * only if FFmpeg's descriptor is that file (a link swapped in after the check, issue 21, is refused when opened).
 * Outside a pod (the local run, tests) nothing is confined: {@link #ANYWHERE}.
 *
 * <p>Runs on the thread that applies a spec, before the engine takes its lock.
 */
public record FileAccess(List<Path> roots, Path base) {
    public static final FileAccess ANYWHERE = new FileAccess(null, null);

    /** Confined to the volumes of the spec the worker started with (they change only with a new pod) and {@code outputDir}. */
    public static FileAccess forPod(MixTaskSpec started, Path outputDir) {
        List<Path> roots = new ArrayList<>();
        roots.add(outputDir);
        if (started.worker != null && started.worker.volumes != null) {
            for (WorkerVolume v : started.worker.volumes) {
                roots.add(Path.of(v.mountPath));
            }
        }
        return new FileAccess(List.copyOf(roots), outputDir);
    }

    public boolean confined() {
        return roots != null;
    }

    /**
     * Checks every file URL of {@code spec}, rewriting relative paths to absolute ones under {@link #base()} in place
     * (the caller passes a copy); the violations, naming the field, or an empty list.
     */
    public List<Violation> confine(MixTaskSpec spec) {
        List<Violation> v = new ArrayList<>();
        if (!confined()) {
            return v;
        }
        for (int i = 0; spec.inputs != null && i < spec.inputs.size(); i++) {
            MixInput in = spec.inputs.get(i);
            in.url = check("spec.inputs[" + i + "].url", in.url, v);
            if (in.onLoss != null) {
                in.onLoss.image = check("spec.inputs[" + i + "].onLoss.image", in.onLoss.image, v);
            }
        }
        for (int i = 0; spec.outputs != null && i < spec.outputs.size(); i++) {
            MixOutput out = spec.outputs.get(i);
            out.url = check("spec.outputs[" + i + "].url", out.url, v);
        }
        if (spec.background != null) {
            spec.background.image = check("spec.background.image", spec.background.image, v);
        }
        if (spec.watermark != null) {
            spec.watermark.image = check("spec.watermark.image", spec.watermark.image, v);
        }
        return v;
    }

    private String check(String field, String url, List<Violation> violations) {
        if (url == null || UrlPolicy.filePath(url) == null || url.startsWith("synthetic:")) {
            return url;
        }
        String refused = LocalPath.refusal(url);
        if (refused != null) {
            violations.add(new Violation(field, refused));
            return url;
        }
        // The path the opener will open (decoded once, as InputSource and OutputTarget do), not the URL's text.
        Path p = LocalPath.path(url);
        String rewritten = url;
        if (!p.isAbsolute()) {
            p = base.resolve(p);
            rewritten = p.toString();
        }
        Path real = realOrNearestParent(p.normalize());
        if (real == null || !inside(real)) {
            violations.add(new Violation(field, "the worker opens files only under the task's volumes ("
                    + String.join(", ", roots.subList(1, roots.size()).stream().map(Path::toString).toList())
                    + ") or its output directory; symbolic links are followed"));
            return rewritten;
        }
        if (real.toString().contains(":")) {
            violations.add(new Violation(field, "the file's real path holds a ':' (FFmpeg would read a protocol)"));
            return rewritten;
        }
        // FFmpeg gets the real path, and opens nothing else: OpenedFiles compares what it opened with it (issue 21).
        return real.toString();
    }

    private boolean inside(Path real) {
        for (Path root : roots) {
            Path r = realOrNearestParent(root.normalize());
            if (r != null && real.startsWith(r) && !real.equals(r)) {
                return true;
            }
        }
        return false;
    }

    /** The real path of {@code p}, or of its nearest existing parent with the rest appended (a file not yet written). */
    private static Path realOrNearestParent(Path p) {
        Path existing = p;
        List<Path> rest = new ArrayList<>();
        while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            rest.add(0, existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            return null; // a dangling link: FFmpeg would create its target, wherever it points
        }
        for (Path r : rest) {
            real = real.resolve(r);
        }
        return real;
    }

}
