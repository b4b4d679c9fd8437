package io.streammix.operator.spec;

import io.streammix.worker.control.ControlApi;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The URL schemes the worker can pull from and push to (its FFmpeg build and its synthetic sources). */
final class UrlSchemes {
    static final Set<String> INPUT = ControlApi.INPUT_SCHEMES;
    static final Set<String> OUTPUT = ControlApi.OUTPUT_SCHEMES;

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

    private UrlSchemes() {
    }

    /** The scheme of a URL; a plain path counts as a file. */
    static String schemeOf(String url) {
        Matcher m = SCHEME.matcher(url);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "file";
    }
}
