package io.streammix.worker.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CSV list FFmpeg's segment muxer keeps ({@code segment_list_type=csv}): one line per finished
 * file, {@code name,start,end}, appended and flushed when the file is closed. A line without its newline
 * is still being written and is left for the next read.
 */
final class SegmentList {
    private final Path list;
    private final Path dir;

    SegmentList(Path list, Path dir) {
        this.list = list;
        this.dir = dir;
    }

    /** Finished files, in order. */
    List<Path> finished() {
        String text;
        try {
            text = Files.readString(list);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<Path> files = new ArrayList<>();
        int start = 0;
        int nl;
        while ((nl = text.indexOf('\n', start)) >= 0) {
            String line = text.substring(start, nl).trim();
            start = nl + 1;
            if (line.isEmpty()) {
                continue;
            }
            String name = line.substring(0, line.indexOf(',') < 0 ? line.length() : line.indexOf(','));
            if (name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1).replace("\"\"", "\"");
            }
            Path p = Path.of(name);
            files.add(p.isAbsolute() ? p : dir.resolve(p));
        }
        return files;
    }
}
