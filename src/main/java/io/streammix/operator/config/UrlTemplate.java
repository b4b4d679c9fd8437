package io.streammix.operator.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expands {placeholder} URL templates of the configuration; an unknown placeholder is a configuration error. */
public final class UrlTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

    private UrlTemplate() {
    }

    public static String expand(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("unknown placeholder {" + key + "} in URL template " + template);
            }
            String value = values.get(key);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
