package io.streammix.worker.recording;

import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the recording code names a file in a log line (issue 21, finding 5): a recording's name derives from its
 * output's URL, which may be a Secret's value (urlFrom), and the worker does not know which. A log line shows only what
 * the worker added to the name: the rotation's stamp and number ({@code …-20260101-000000-0001.mp4}), or the
 * extension; exceptions show their kind and reason, not the path they carry. Stateless.
 */
final class LoggedFile {
    /** The part of a rotated name the worker writes after the output's stem: -date-time-number[.ext]. */
    private static final Pattern ROTATED = Pattern.compile("-\\d{8}-\\d{6}-[A-Za-z0-9]+(\\.[A-Za-z0-9]+)?$");

    private LoggedFile() {
    }

    static String name(Path p) {
        if (p == null || p.getFileName() == null) {
            return "(file)";
        }
        String n = p.getFileName().toString();
        Matcher m = ROTATED.matcher(n);
        if (m.find()) {
            return "…" + n.substring(m.start());
        }
        int dot = n.lastIndexOf('.');
        return dot > 0 ? "(file)" + n.substring(dot) : "(file)";
    }

    /** An exception's kind and reason without the paths a file-system exception carries. */
    static String why(Exception e) {
        if (e instanceof FileSystemException f) {
            return f.getClass().getSimpleName() + (f.getReason() == null ? "" : ": " + f.getReason());
        }
        return e.getClass().getSimpleName();
    }
}
