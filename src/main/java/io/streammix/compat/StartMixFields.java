package io.streammix.compat;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Reads start-mix JSON the way the vendor's own examples write it: keys in any letter case and with
 * or without underscores ({@code appid}, {@code appId}; {@code MixOutput}, {@code mixOutput};
 * {@code userdata}, {@code UserData}), and {@code null} or {@code ""} meaning "not given".
 */
final class StartMixFields {
    private final JsonNode node;

    StartMixFields(JsonNode node) {
        this.node = node;
    }

    /** The value under a key, matched ignoring case and underscores, or null when absent, null or "". */
    JsonNode get(String key) {
        String wanted = normalize(key);
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (normalize(e.getKey()).equals(wanted)) {
                JsonNode v = e.getValue();
                if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
                    return null;
                }
                return v;
            }
        }
        return null;
    }

    String text(String key) {
        JsonNode v = get(key);
        return v == null ? null : v.asText();
    }

    /** A number, also when sent as a string ("1"); null when absent. */
    Long number(String key) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            return v.longValue();
        }
        try {
            return Long.parseLong(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new StartMixException(key, "must be a number (got '" + v.asText() + "')");
        }
    }

    Integer integer(String key) {
        Long v = number(key);
        return v == null ? null : Math.toIntExact(v);
    }

    boolean has(String key) {
        return get(key) != null;
    }

    Iterable<String> keys() {
        return node::fieldNames;
    }

    static String normalize(String key) {
        return key.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
