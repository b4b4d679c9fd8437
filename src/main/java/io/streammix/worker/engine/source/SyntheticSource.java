package io.streammix.worker.engine.source;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code synthetic:} inputs, turned into a lavfi graph from a small, parsed set of parameters.
 * Every value is checked against a pattern and written into the graph by this class: a user string
 * never reaches the filter graph parser.
 *
 * <ul>
 *   <li>{@code synthetic:testsrc?size=640x360&fps=15&tone=440} — test pattern, optional sine tone</li>
 *   <li>{@code synthetic:color?color=#FF0000&size=320x240&fps=15&tone=880} — solid colour, optional tone</li>
 *   <li>{@code synthetic:sine?frequency=440} — a tone only</li>
 *   <li>{@code synthetic:flashbeep?size=320x240&fps=15&frequency=1000} — black picture that turns white for
 *       100 ms each second while a beep sounds, both starting on the whole second: A/V sync measurement</li>
 * </ul>
 */
public final class SyntheticSource {
    public static final String SCHEME = "synthetic:";
    /**
     * Pictures leave the graph in the mixer's own format, as a camera's decoder would give them: a picture already the
     * size of its rect is then passed on by reference, and sws_scale never reads testsrc's packed RGB (twice a native
     * crash in libswscale was seen converting testsrc's RGB24 frames; the cause was not found).
     */
    private static final String YUV = ",format=yuv420p";
    private static final Pattern SIZE = Pattern.compile("^([1-9][0-9]{0,3})x([1-9][0-9]{0,3})$");
    private static final Pattern INT = Pattern.compile("^[0-9]{1,5}$");
    private static final Pattern COLOR = Pattern.compile("^#?[0-9A-Fa-f]{6}$");
    private static final Map<String, Set<String>> PARAMS = Map.of(
            "testsrc", Set.of("size", "fps", "tone"),
            "color", Set.of("color", "size", "fps", "tone"),
            "sine", Set.of("frequency"),
            "flashbeep", Set.of("size", "fps", "frequency"));

    private SyntheticSource() {
    }

    public static boolean matches(String url) {
        return url != null && url.startsWith(SCHEME);
    }

    /** The lavfi graph for a synthetic URL; throws IllegalArgumentException naming what is wrong. */
    public static String toLavfiGraph(String url) {
        String rest = url.substring(SCHEME.length());
        int q = rest.indexOf('?');
        String kind = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> p = parse(q < 0 ? "" : rest.substring(q + 1));
        Set<String> allowed = PARAMS.get(kind);
        if (allowed == null) {
            throw new IllegalArgumentException("unknown synthetic source '" + safe(kind) + "' (testsrc, color, sine, flashbeep)");
        }
        for (String k : p.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("synthetic:" + kind + " has no parameter '" + safe(k) + "' (allowed: " + allowed + ")");
            }
        }
        String size = size(p.getOrDefault("size", "640x360"));
        int fps = intParam(p, "fps", 15, 1, 60);
        String rate = ":rate=" + fps;
        return switch (kind) {
            case "testsrc" -> "testsrc=size=" + size + rate + YUV + "[out0]" + tone(p, "tone");
            case "color" -> "color=c=0x" + color(p.getOrDefault("color", "#808080")) + ":size=" + size + rate + YUV + "[out0]"
                    + tone(p, "tone");
            case "sine" -> "sine=frequency=" + intParam(p, "frequency", 440, 20, 20000) + ":sample_rate=48000:samples_per_frame=480[out0]";
            default -> "color=c=black:size=" + size + rate
                    + ",drawbox=color=white:t=fill:enable='lt(mod(t\\,1)\\,0.1)'" + YUV + "[out0];"
                    + "aevalsrc='if(lt(mod(t\\,1)\\,0.1)\\,0.5*sin(2*PI*" + intParam(p, "frequency", 1000, 20, 20000)
                    + "*t)\\,0)':s=48000:n=480[out1]";
        };
    }

    private static String tone(Map<String, String> p, String key) {
        if (!p.containsKey(key)) {
            return "";
        }
        return ";sine=frequency=" + intParam(p, key, 440, 20, 20000) + ":sample_rate=48000:samples_per_frame=480[out1]";
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> m = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return m;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("synthetic parameters must be key=value pairs");
            }
            m.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String size(String s) {
        var m = SIZE.matcher(s);
        if (!m.matches() || Integer.parseInt(m.group(1)) > 4096 || Integer.parseInt(m.group(2)) > 4096) {
            throw new IllegalArgumentException("synthetic size must be WIDTHxHEIGHT up to 4096x4096");
        }
        return s;
    }

    private static String color(String s) {
        if (!COLOR.matcher(s).matches()) {
            throw new IllegalArgumentException("synthetic color must be #RRGGBB");
        }
        return s.startsWith("#") ? s.substring(1) : s;
    }

    private static int intParam(Map<String, String> p, String key, int dflt, int min, int max) {
        String v = p.get(key);
        if (v == null) {
            return dflt;
        }
        if (!INT.matcher(v).matches() || Integer.parseInt(v) < min || Integer.parseInt(v) > max) {
            throw new IllegalArgumentException("synthetic " + key + " must be an integer from " + min + " to " + max);
        }
        return Integer.parseInt(v);
    }

    /** Echo user text in messages only when it is short and plain. */
    private static String safe(String s) {
        return s.matches("^[A-Za-z0-9_-]{1,32}$") ? s : "?";
    }

}
