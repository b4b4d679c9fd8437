package io.streammix.worker.recording;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files earlier workers recorded for the same output (same directory, same base name) and left without an
 * upload marker: their upload was still queued, running or failing when that worker stopped or was killed.
 * Looked for once, when the output starts (on the upload thread, so a volume of many files does not delay the
 * output), leaving this run's own names out, so every file found is finished: no worker writes to it any more
 * (the worker Deployment's Recreate strategy stops the old pod before the new one starts; the engine stops an
 * output it restarts, muxer closed, before starting the new one, unless the old one hangs past the engine's
 * 2 x 10 s). A file that was open when its worker was SIGKILLed is a valid fragmented MP4 ending at its last
 * complete fragment; it never grows again, so it counts as finished too.
 *
 * <p>The segment muxer's CSV list cannot tell: it is in the old pod's temporary directory, gone with the pod,
 * and it never lists the file that was open at a SIGKILL. The names can: rotated files are
 * {@code <base>-<yyyyMMdd-HHmmss>-<nnnn><ext>} (the start time keeps each run's files apart), and the one file
 * of a recording without rotation is {@code <base><ext>}.
 */
public final class EarlierRecordings {
    private static final Logger LOG = Logger.getLogger(EarlierRecordings.class);
    /** What an earlier file of a recording without rotation is renamed to before the new run overwrites its path. */
    static final String EARLIER = "earlier";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private EarlierRecordings() {
    }

    /** {@link #keepSingleFile}, then {@link #notUploaded}. */
    static List<Path> find(RecordingPlan plan) {
        keepSingleFile(plan);
        return notUploaded(plan);
    }

    /**
     * For a recording without rotation, whose path the new run is about to overwrite: an earlier file there
     * that was not uploaded is renamed to {@code <base>-<its last write, yyyyMMdd-HHmmss>-earlier<ext>}, so both
     * recordings are kept and uploaded under their own keys; one that was uploaded loses its marker (the path is
     * about to hold another recording). Must run before the output's muxer opens.
     */
    static void keepSingleFile(RecordingPlan plan) {
        Path file = plan.file().toAbsolutePath();
        if (!plan.rotates() && Files.isRegularFile(file)) {
            String name = file.getFileName().toString();
            setAside(file, base(name), name.substring(base(name).length()));
        }
    }

    /**
     * Finished files of earlier runs without an upload marker, oldest first. Safe while this run records: its
     * own names (its start time; the one file of a recording without rotation) are left out.
     */
    static List<Path> notUploaded(RecordingPlan plan) {
        Path file = plan.file().toAbsolutePath();
        Path dir = file.getParent();
        String name = file.getFileName().toString();
        Pattern rotated = rotatedNames(base(name), name.substring(base(name).length()));
        String ownPrefix = plan.rotates() ? ownPrefix(plan) : null;
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> all = Files.list(dir)) {
            all.filter(p -> {
                String n = p.getFileName().toString();
                return rotated.matcher(n).matches() && (ownPrefix == null || !n.startsWith(ownPrefix))
                        || plan.rotates() && n.equals(name); // from a run without rotation
            }).filter(Files::isRegularFile).filter(p -> !UploadMarker.covers(p)).forEach(found::add);
        } catch (IOException e) {
            LOG.warnf("recording %s: listing earlier files: %s", name, e.getMessage());
        }
        found.sort(Comparator.comparing(EarlierRecordings::modified).thenComparing(Path::toString));
        return found;
    }

    /**
     * Files of earlier runs that are uploaded (marked) but still on the volume: with {@code deleteAfterUpload},
     * a stop that came between the marker and the deletion.
     */
    static List<Path> uploadedAndKept(RecordingPlan plan) {
        Path file = plan.file().toAbsolutePath();
        String name = file.getFileName().toString();
        Pattern rotated = rotatedNames(base(name), name.substring(base(name).length()));
        try (Stream<Path> all = Files.list(file.getParent())) {
            return all.filter(p -> rotated.matcher(p.getFileName().toString()).matches()).filter(UploadMarker::covers).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String base(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** {@code <base>-<yyyyMMdd-HHmmss>-<nnnn><ext>}, or {@code -earlier[n]} for a file set aside. */
    private static Pattern rotatedNames(String base, String ext) {
        return Pattern.compile(Pattern.quote(base) + "-\\d{8}-\\d{6}-(\\d{4,}|" + EARLIER + "\\d*)" + Pattern.quote(ext));
    }

    /**
     * The start time to name a new run's rotated files by: {@code now}, or the first second after it no file
     * of {@code file}'s recording is named with. Two runs started in the same second (an output restarted at
     * once, a worker replaced quickly) would otherwise write the same names: the second would overwrite the
     * first's files, on the volume and then in the bucket.
     */
    public static Instant unusedStart(Path file, Instant now) {
        Path abs = file.toAbsolutePath();
        String name = abs.getFileName().toString();
        String base = base(name);
        Instant t = now;
        try (Stream<Path> all = Files.isDirectory(abs.getParent()) ? Files.list(abs.getParent()) : Stream.empty()) {
            Set<String> names = new HashSet<>();
            all.forEach(p -> names.add(p.getFileName().toString()));
            while (true) {
                String prefix = base + "-" + STAMP.format(t) + "-";
                if (names.stream().noneMatch(n -> n.startsWith(prefix))) {
                    return t;
                }
                t = t.plusSeconds(1);
            }
        } catch (IOException e) {
            return now; // the muxer's own error will name the directory
        }
    }

    private static String ownPrefix(RecordingPlan plan) {
        String first = plan.fileNumber(0).getFileName().toString();
        return first.substring(0, first.lastIndexOf('-') + 1);
    }

    private static void setAside(Path file, String base, String ext) {
        try {
            if (UploadMarker.covers(file)) {
                UploadMarker.delete(file);
                return;
            }
            if (Files.size(file) == 0) {
                return; // a muxer that never wrote a byte: nothing to keep
            }
            String stem = base + "-" + STAMP.format(Files.getLastModifiedTime(file).toInstant()) + "-" + EARLIER;
            Path aside = file.resolveSibling(stem + ext);
            for (int i = 1; Files.exists(aside); i++) {
                aside = file.resolveSibling(stem + i + ext);
            }
            Files.move(file, aside);
            UploadMarker.delete(file);
            LOG.infof("recording %s: the earlier recording at this path was not uploaded; kept as %s", LoggedFile.name(file),
                    LoggedFile.name(aside));
        } catch (IOException e) {
            LOG.warnf("recording %s: setting the earlier recording aside: %s", LoggedFile.name(file), LoggedFile.why(e));
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
