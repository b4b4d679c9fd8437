package io.streammix.worker.media;

import io.streammix.api.validation.UrlPolicy;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Issue 21, finding 2 (symbolic links swapped in after the check): in a pod, {@code FileAccess} checks a file's real path
 * when a spec is applied and hands FFmpeg that real path, but FFmpeg opens it later (and again on every loop or
 * reconnect) following links, so a link put on a shared volume in between (by another pod on the same claim) was
 * followed out of the volume. With {@link #requireExactPaths} (the worker in a pod), an input FFmpeg opened from a
 * local path is kept only when the file it holds open ({@code /proc/self/fd/N} of its file protocol's descriptor) is
 * that very path, which any link on the way would change; an output's directory must still be its real path when it is
 * opened. Outside a pod (local runs) links are followed as before.
 *
 * <p>Stateless apart from the process-wide switch; runs on the thread that opens.
 */
public final class OpenedFiles {
    private static volatile boolean exact;

    private OpenedFiles() {
    }

    /** From now on this process opens local files only at the real paths it was given (until the handle is closed). */
    public static AutoCloseable requireExactPaths() {
        boolean before = exact;
        exact = true;
        return () -> exact = before;
    }

    /** Why the input FFmpeg opened through {@code pb} from {@code url} must not be read, or null. */
    static String inputRefusal(AVIOContext pb, String url) {
        Path given = givenPath(url);
        if (given == null) {
            return null;
        }
        Path opened = descriptorPath(pb);
        return given.equals(opened) ? null : "not allowed: the file is not where it was checked (a symbolic link on the way?)";
    }

    /** Why an output file must not be opened at {@code url}: its directory is no longer its real path; or null. */
    static String outputRefusal(String url) {
        Path given = givenPath(url);
        if (given == null) {
            return null;
        }
        try {
            Path parent = given.getParent();
            boolean linked = Files.isSymbolicLink(given) || (parent != null && !parent.toRealPath().equals(parent));
            return linked ? "not allowed: the file is not where it was checked (a symbolic link on the way?)" : null;
        } catch (IOException e) {
            return null; // FFmpeg reports a missing directory in its own words
        }
    }

    private static Path givenPath(String url) {
        if (!exact || !UrlPolicy.isFile(url) || url.startsWith("file:")) {
            return null; // file: URLs were rewritten to plain real paths by FileAccess in a pod
        }
        return Path.of(url).toAbsolutePath().normalize();
    }

    /**
     * The file behind FFmpeg's file protocol context: {@code pb->opaque} is the {@code URLContext} (av_class, prot,
     * priv_data, ...), whose protocol's first field is its name and whose {@code FileContext} holds (class, fd, ...).
     * FFmpeg's private layout, stable for years; were it to change, this reads no "file" protocol or a wrong
     * descriptor, and the input is refused (fails closed; {@code OpenedFilesTest} would say so).
     */
    static Path descriptorPath(AVIOContext pb) {
        if (pb == null || pb.isNull() || pb.opaque() == null || pb.opaque().isNull()) {
            return null;
        }
        PointerPointer<?> url = new PointerPointer<>(pb.opaque()).capacity(3);
        Pointer prot = url.get(1);
        Pointer priv = url.get(2);
        if (prot == null || prot.isNull() || priv == null || priv.isNull()) {
            return null;
        }
        Pointer protName = new PointerPointer<>(prot).capacity(1).get(0);
        if (protName == null || protName.isNull() || !"file".equals(new BytePointer(protName).getString())) {
            return null;
        }
        int fd = new IntPointer(priv).capacity(3).get(2);
        try {
            Path link = Path.of("/proc/self/fd/" + fd);
            return Files.exists(link, LinkOption.NOFOLLOW_LINKS) ? Files.readSymbolicLink(link) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
