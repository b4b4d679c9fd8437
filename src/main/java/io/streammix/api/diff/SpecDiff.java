package io.streammix.api.diff;

import io.streammix.api.ChangeClass;
import io.streammix.api.SpecChange;
import io.streammix.api.v1alpha1.ExtraParam;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.ValueFrom;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.api.v1alpha1.WorkerOverrides;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares two specs field by field and classifies every difference with the {@link SpecChange}
 * class declared on the model (a field without one counts as {@link ChangeClass#WORKER_RESTART}).
 *
 * <p>Inputs and outputs are matched by identity (name, else streamId, else url, else position), so
 * inserting an input reports one addition, not a change of every input after it. A few types are
 * compared as a whole because their parts mean nothing alone: a rect, a Secret reference, the
 * worker overrides.
 */
public final class SpecDiff {
    private static final Set<Class<?>> WHOLE = Set.of(Rect.class, ValueFrom.class, WorkerOverrides.class);
    private static final String VIDEO_ENCODE = "video_encode";

    private final List<FieldChange> changes = new ArrayList<>();

    private SpecDiff() {
    }

    /** Every difference from {@code before} to {@code after}; empty when they are equal. */
    public static List<FieldChange> between(MixTaskSpec before, MixTaskSpec after) {
        SpecDiff d = new SpecDiff();
        d.compareObjects(before, after, "", -1);
        d.refineForCodec(after);
        return List.copyOf(d.changes);
    }

    /** The most disruptive class among the changes, or null when there are none. */
    public static ChangeClass costOf(List<FieldChange> changes) {
        ChangeClass worst = null;
        for (FieldChange c : changes) {
            worst = c.changeClass().max(worst);
        }
        return worst;
    }

    private void compareObjects(Object before, Object after, String path, int output) {
        Class<?> type = before != null ? before.getClass() : after.getClass();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Object a = get(f, before);
            Object b = get(f, after);
            if (Objects.equals(json(a), json(b))) {
                continue;
            }
            String at = path.isEmpty() ? f.getName() : path + "." + f.getName();
            ChangeClass cls = classOf(f);
            if (f.getName().equals("inputs") && type == MixTaskSpec.class) {
                compareLists(cast(a), cast(b), at, cls, false);
            } else if (f.getName().equals("outputs") && type == MixTaskSpec.class) {
                compareLists(cast(a), cast(b), at, cls, true);
            } else if (f.getName().equals("extraParams") && type == MixTaskSpec.class) {
                compareExtraParams(cast(a), cast(b));
            } else if (a != null && b != null && isModel(f.getType()) && !WHOLE.contains(f.getType())) {
                compareObjects(a, b, at, output);
            } else {
                add(at, a == null ? FieldChange.Kind.ADDED : b == null ? FieldChange.Kind.REMOVED : FieldChange.Kind.CHANGED, cls, output);
            }
        }
    }

    private void compareLists(List<Object> before, List<Object> after, String path, ChangeClass listClass, boolean outputs) {
        before = before == null ? List.of() : before;
        after = after == null ? List.of() : after;
        Map<String, Integer> oldIndex = new HashMap<>();
        for (int i = 0; i < before.size(); i++) {
            oldIndex.put(identity(before.get(i), i), i);
        }
        Set<Integer> matched = new java.util.HashSet<>();
        for (int i = 0; i < after.size(); i++) {
            Integer j = oldIndex.get(identity(after.get(i), i));
            String at = path + "[" + i + "]";
            if (j == null) {
                add(at, FieldChange.Kind.ADDED, listClass, outputs ? i : -1);
            } else {
                matched.add(j);
                compareObjects(before.get(j), after.get(i), at, outputs ? i : -1);
            }
        }
        for (int j = 0; j < before.size(); j++) {
            if (!matched.contains(j)) {
                add(path + "[" + j + "]", FieldChange.Kind.REMOVED, listClass, outputs ? j : -1);
            }
        }
    }

    /** extraParams are matched by key; video_encode concerns every output that names no codec. */
    private void compareExtraParams(List<ExtraParam> before, List<ExtraParam> after) {
        Map<String, String> a = toMap(before);
        Map<String, String> b = toMap(after);
        Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                FieldChange.Kind kind = !a.containsKey(k) ? FieldChange.Kind.ADDED : !b.containsKey(k) ? FieldChange.Kind.REMOVED
                        : FieldChange.Kind.CHANGED;
                ChangeClass cls = VIDEO_ENCODE.equals(k) ? ChangeClass.OUTPUT_RESTART : ChangeClass.LIVE;
                add("extraParams[" + k + "]", kind, cls, -1);
            }
        }
    }

    /**
     * The one class that depends on a value: an output's bitrate is live for H.264 (x264 accepts a new
     * rate because VBV is on from the start) but FFmpeg's x265 wrapper cannot reconfigure, so an
     * H.265 output must be reopened.
     */
    private void refineForCodec(MixTaskSpec after) {
        for (int i = 0; i < changes.size(); i++) {
            FieldChange c = changes.get(i);
            if (c.output() >= 0 && c.path().endsWith(".video.bitrate") && c.output() < after.outputs.size()
                    && codecOf(after, after.outputs.get(c.output())) == VideoCodec.H265) {
                changes.set(i, new FieldChange(c.path(), c.kind(), ChangeClass.OUTPUT_RESTART, c.output()));
            }
        }
    }

    /** The codec an output really uses: its own, else extraParams video_encode, else H.264. */
    public static VideoCodec codecOf(MixTaskSpec spec, MixOutput out) {
        VideoEncoding v = out.video;
        if (v != null && v.codec != null) {
            return v.codec;
        }
        String encode = toMap(spec.extraParams).get(VIDEO_ENCODE);
        return "h265".equalsIgnoreCase(encode) || "hevc".equalsIgnoreCase(encode) ? VideoCodec.H265 : VideoCodec.H264;
    }

    /**
     * What makes an input or output "the same one" across two specs: its name, else its streamId, else its
     * URL, else its position. The worker matches its running outputs with the same rule.
     */
    public static String identity(Object item, int index) {
        String name = null;
        String streamId = null;
        String url = null;
        if (item instanceof MixInput in) {
            name = in.name;
            streamId = in.streamId;
            url = in.url;
        } else if (item instanceof MixOutput out) {
            name = out.name;
            streamId = out.streamId;
            url = out.url;
        }
        if (name != null) {
            return "name:" + name;
        }
        if (streamId != null) {
            return "streamId:" + streamId;
        }
        return url != null ? "url:" + url : "index:" + index;
    }

    private void add(String path, FieldChange.Kind kind, ChangeClass cls, int output) {
        changes.add(new FieldChange(path, kind, cls, output));
    }

    /** The class a field declares; none declared counts as the most disruptive (forgetting it is safe). */
    static ChangeClass classOf(Field f) {
        SpecChange c = f.getAnnotation(SpecChange.class);
        return c == null ? ChangeClass.WORKER_RESTART : c.value();
    }

    private static boolean isModel(Class<?> type) {
        return type.getPackageName().startsWith("io.streammix.api") && !type.isEnum();
    }

    private static Map<String, String> toMap(List<ExtraParam> params) {
        Map<String, String> m = new HashMap<>();
        if (params != null) {
            params.forEach(p -> m.put(p.key, p.value));
        }
        return m;
    }

    private static Object get(Field f, Object o) {
        try {
            return o == null ? null : f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Structural equality for model objects, which do not implement equals. */
    private static Object json(Object o) {
        return o == null ? null : Json.MAPPER.valueToTree(o);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(Object o) {
        return (List<T>) o;
    }

    private static final class Json {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    }
}
