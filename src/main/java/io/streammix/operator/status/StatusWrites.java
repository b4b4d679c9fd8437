package io.streammix.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streammix.api.v1alpha1.MixTaskStatus;

import java.time.Duration;

/**
 * Whether a freshly built status is worth a write. Every change a user acts on (phase, conditions, states, reasons,
 * files, play URLs, the worker) is written at once; the figures that move on every refresh of a healthy mix --
 * {@code mixDuration}, {@code inputs[].fps}, {@code outputs[].bitrate} and {@code outputs[].frames} -- only once per
 * {@code mixtask.status-figures-interval}. At 1,000 tasks refreshed every 10 s, writing them each time cost 100
 * status writes a second into etcd; a user still sees a live duration, in the {@code Duration} printer column, which
 * kubectl computes from {@code status.startTime}.
 */
public final class StatusWrites {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusWrites() {
    }

    /** True when {@code after} must be written over {@code current} (the status on the server, null if none). */
    public static boolean due(MixTaskStatus current, MixTaskStatus after, Duration figuresInterval) {
        if (current == null) {
            return true;
        }
        JsonNode was = JSON.valueToTree(current);
        JsonNode now = JSON.valueToTree(after);
        if (was.equals(now)) {
            return false;
        }
        if (!withoutFigures(was).equals(withoutFigures(now))) {
            return true;
        }
        long before = current.mixDuration == null ? 0 : current.mixDuration;
        long later = after.mixDuration == null ? 0 : after.mixDuration;
        return later - before >= figuresInterval.toSeconds();
    }

    private static JsonNode withoutFigures(JsonNode status) {
        ObjectNode copy = ((ObjectNode) status).deepCopy();
        copy.remove("mixDuration");
        copy.path("inputs").forEach(i -> ((ObjectNode) i).remove("fps"));
        copy.path("outputs").forEach(o -> ((ObjectNode) o).remove(java.util.List.of("bitrate", "frames")));
        return copy;
    }
}
