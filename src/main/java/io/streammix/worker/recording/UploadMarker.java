package io.streammix.worker.recording;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Properties;

/**
 * The durable record that a recording file is in the bucket: {@code <file>.uploaded} beside the file, written
 * once the upload has succeeded, holding the object, its ETag and the size uploaded.
 *
 * <p>Why a marker per file and not a journal of uploads: a marker is written whole or not at all (a temporary
 * file, forced to disk, then renamed over), so a worker SIGKILLed at any moment leaves no torn record to repair;
 * the upload threads never share a file; a marker goes with its file (deleted with it by
 * {@code deleteAfterUpload}, and nothing has to be compacted); and {@code ls} on the volume shows what is
 * uploaded. No database: the volume the files are on is the one place every later worker sees.
 *
 * <p>A marker counts only for the file it was written for: its size must match, so a file written again at the
 * same path (a recording without rotation, restarted) is not taken as uploaded.
 */
final class UploadMarker {
    static final String SUFFIX = ".uploaded";

    private UploadMarker() {
    }

    static Path of(Path file) {
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    /** True when {@code file} has a marker written for its current size. */
    static boolean covers(Path file) {
        try {
            String text = Files.readString(of(file));
            Properties p = new Properties();
            p.load(new StringReader(text));
            return Long.toString(Files.size(file)).equals(p.getProperty("size"));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // unreadable: not proof of an upload (the bucket is asked before uploading again)
        }
    }

    static boolean exists(Path file) {
        return Files.exists(of(file));
    }

    /** Writes the marker atomically: after a crash it is either whole or absent. */
    static void write(Path file, String object, String etag, long size) throws IOException {
        Path marker = of(file);
        Path tmp = file.resolveSibling("." + file.getFileName() + SUFFIX + ".tmp");
        String text = "object=" + escape(object) + "\n"
                + "etag=" + escape(etag == null ? "" : etag) + "\n"
                + "size=" + size + "\n"
                + "uploadedAt=" + Instant.now() + "\n";
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, marker, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void delete(Path file) throws IOException {
        Files.deleteIfExists(of(file));
    }

    /** Properties syntax: '\', '=', ':' and line breaks escaped (ETags come quoted, keys may hold anything). */
    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\', '=', ':', '#', '!' -> b.append('\\').append(c);
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
