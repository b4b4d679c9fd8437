package io.streammix.operator.status;

import java.util.regex.Pattern;

/**
 * Last line of defence for text that reaches status, Events or logs from elsewhere (the worker's
 * reasons): URLs may carry stream keys, so any URL is reduced to its scheme.
 */
public final class Redactor {
    private static final Pattern URL = Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*)://\\S+");

    private Redactor() {
    }

    public static String redact(String text) {
        return text == null ? null : URL.matcher(text).replaceAll("$1://<redacted>");
    }
}
