package io.streammix.startmix;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads start-mix JSON the way the vendor's own examples write it: keys in any letter case and with
 * or without underscores ({@code appid}, {@code appId}; {@code MixOutput}, {@code mixOutput};
 * {@code userdata}, {@code UserData}), and {@code null} or {@code ""} meaning "not given".
 * Errors name the field by its path in the request ({@code MixOutput[0].bitrate}).
 */
final class StartMixFields {
    private final JsonNode node;
    /** Where this object is in the request ("" for the top level, else e.g. "MixOutput[0]"). */
    private final String at;

    StartMixFields(JsonNode node) {
        this(node, "");
    }

    StartMixFields(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw new StartMixException(at.isEmpty() ? "request" : at, "must be a JSON object");
        }
        this.node = node;
        this.at = at;
    }

    /** The path of a key of this object, as errors name it. */
    String path(String key) {
        return at.isEmpty() ? key : at + "." + key;
    }

    String at() {
        return at;
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

    /** A nested object, or null when absent; anything but an object is refused naming the field. */
    StartMixFields object(String key) {
        JsonNode v = get(key);
        return v == null ? null : new StartMixFields(v, path(key));
    }

    String text(String key) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (v.isContainerNode()) {
            throw new StartMixException(path(key), "must be a string");
        }
        return v.asText();
    }

    /** A number, also when sent as a string ("1"); null when absent. */
    Long number(String key) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            throw new StartMixException(path(key), "must be a whole number (got " + v.asText() + ")");
        }
        if (v.isContainerNode() || v.isBoolean()) {
            throw new StartMixException(path(key), "must be a number");
        }
        try {
            return Long.parseLong(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new StartMixException(path(key), "must be a number (got '" + shorten(v.asText()) + "')");
        }
    }

    Integer integer(String key) {
        Long v = number(key);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new StartMixException(path(key), "is out of range (got " + v + ")");
        }
        return v.intValue();
    }

    boolean has(String key) {
        return get(key) != null;
    }

    Iterable<String> keys() {
        return node::fieldNames;
    }

    /**
     * Lists every key that is none of {@code known} (compared normalized) in {@code unknown}, by its path: the vendor
     * ignores fields it does not define, so they are not refused, but the reply says which were ignored.
     */
    void unknownKeys(Set<String> known, java.util.List<String> unknown) {
        for (String key : keys()) {
            if (!known.contains(normalize(key))) {
                unknown.add(path(key));
            }
        }
    }

    static String normalize(String key) {
        return key.replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
