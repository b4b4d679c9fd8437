package io.streammix.operator.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a reason about a Secret-fed input or output may keep (issue 21): the failure's words from this fixed list, and
 * nothing else of the text. Cleaning a reason by the look of what it must hide (paths, file extensions) let a file name
 * without an extension through; a list of what may stay cannot leak a value, only lose detail. The words are FFmpeg's
 * and the system's error strings and the worker's own states.
 */
final class FailureWords {
    private static final List<String> WORDS = List.of("Connection refused", "Connection reset by peer", "Connection timed out",
            "timed out", "Permission denied", "No such file or directory", "No space left on device", "Read-only file system",
            "Input/output error", "Broken pipe", "End of file", "Invalid data found when processing input",
            "Server returned 401 Unauthorized", "Server returned 403 Forbidden", "Server returned 404 Not Found",
            "Server returned 4XX Client Error", "Server returned 5XX Server Error", "Network is unreachable",
            "No route to host", "Name or service not known", "Temporary failure in name resolution",
            "Operation not permitted", "Protocol not found", "Immediate exit requested", "not allowed", "refused",
            "cannot open the destination", "cannot open", "lost", "stopped", "retrying", "too large");

    private FailureWords() {
    }

    /** The listed words found in {@code text}, longest first and none inside another, joined; or a fixed sentence. */
    static String in(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String w : WORDS) {
            String lw = w.toLowerCase(Locale.ROOT);
            if (lower.contains(lw) && found.stream().noneMatch(f -> f.toLowerCase(Locale.ROOT).contains(lw))) {
                found.add(w);
            }
        }
        return found.isEmpty() ? "failed (details withheld: the URL comes from a Secret)" : String.join("; ", found);
    }
}
