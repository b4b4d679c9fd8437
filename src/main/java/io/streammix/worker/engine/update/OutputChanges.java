package io.streammix.worker.engine.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streammix.api.diff.SpecDiff;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.worker.contract.SpecSubmission;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a new spec means for the running outputs, one decision per output: outputs are matched by identity
 * (the rule of {@link SpecDiff#identity}), so adding, removing or reordering outputs touches no other output.
 * A matched output is kept as it is, kept with a new bitrate (H.264: x264 reconfigures), or reopened (any
 * other change, and an H.265 bitrate: FFmpeg's x265 wrapper cannot reconfigure).
 */
public final class OutputChanges {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Action {
        KEEP, NEW_BITRATE, RESTART, ADD
    }

    /** @param identity the output's identity in the new spec, the key the engine keeps its outputs by */
    public record Step(int index, MixOutput spec, String identity, Action action) {
    }

    /**
     * @param removed      identities (in the old spec) of the outputs that are gone
     * @param removedNames their names, for the report (an identity may be a URL with a key in it)
     */
    public record Plan(List<Step> steps, List<String> removed, List<String> removedNames) {
        public List<String> names(Action action) {
            return steps.stream().filter(s -> s.action() == action).map(s -> s.spec().displayName(s.index())).toList();
        }

        /**
         * The same plan with the given outputs reopened even if their spec did not change: their upload keys did
         * (a rotated Secret), and a running output keeps the client it was opened with.
         */
        public Plan reopening(Set<String> identities) {
            if (identities.isEmpty()) {
                return this;
            }
            List<Step> changed = steps.stream()
                    .map(s -> identities.contains(s.identity()) && (s.action() == Action.KEEP || s.action() == Action.NEW_BITRATE)
                            ? new Step(s.index(), s.spec(), s.identity(), Action.RESTART) : s)
                    .toList();
            return new Plan(changed, removed, removedNames);
        }

        /** What applying it does to the outputs, for the worker's report: "live", or which outputs were touched. */
        public String summary() {
            List<String> parts = new ArrayList<>();
            add(parts, "bitrate reconfigured", names(Action.NEW_BITRATE));
            add(parts, "outputs restarted", names(Action.RESTART));
            add(parts, "outputs added", names(Action.ADD));
            add(parts, "outputs removed", removedNames);
            return parts.isEmpty() ? "live" : "live; " + String.join("; ", parts);
        }

        private static void add(List<String> parts, String what, List<String> names) {
            if (!names.isEmpty()) {
                parts.add(what + ": " + String.join(", ", names));
            }
        }
    }

    private OutputChanges() {
    }

    /** @param before the running spec, null when nothing runs yet */
    public static Plan between(MixTaskSpec before, MixTaskSpec after) {
        Map<String, MixOutput> old = new HashMap<>();
        if (before != null) {
            for (int i = 0; i < before.outputs.size(); i++) {
                old.put(SpecDiff.identity(before.outputs.get(i), i), before.outputs.get(i));
            }
        }
        List<Step> steps = new ArrayList<>();
        Set<String> matched = new HashSet<>();
        for (int i = 0; i < after.outputs.size(); i++) {
            MixOutput next = after.outputs.get(i);
            String id = SpecDiff.identity(next, i);
            MixOutput running = old.get(id);
            Action action;
            if (running == null) {
                action = Action.ADD;
            } else {
                matched.add(id);
                action = decide(before, running, after, next);
            }
            steps.add(new Step(i, next, id, action));
        }
        List<String> removed = new ArrayList<>();
        List<String> removedNames = new ArrayList<>();
        if (before != null) {
            for (int i = 0; i < before.outputs.size(); i++) {
                String id = SpecDiff.identity(before.outputs.get(i), i);
                if (!matched.contains(id)) {
                    removed.add(id);
                    removedNames.add(before.outputs.get(i).displayName(i));
                }
            }
        }
        return new Plan(List.copyOf(steps), List.copyOf(removed), List.copyOf(removedNames));
    }

    private static Action decide(MixTaskSpec before, MixOutput running, MixTaskSpec after, MixOutput next) {
        VideoCodec codec = SpecDiff.codecOf(after, next);
        if (codec != SpecDiff.codecOf(before, running)) {
            return Action.RESTART; // extraParams video_encode changed the codec of an output that names none
        }
        JsonNode a = JSON.valueToTree(running);
        JsonNode b = JSON.valueToTree(next);
        if (a.equals(b)) {
            return Action.KEEP;
        }
        if (codec == VideoCodec.H264 && running.hasVideo() && next.hasVideo()
                && withoutBitrate(a).equals(withoutBitrate(b)) && !Objects.equals(running.video.bitrate, next.video.bitrate)) {
            return Action.NEW_BITRATE;
        }
        return Action.RESTART;
    }

    private static JsonNode withoutBitrate(JsonNode output) {
        JsonNode copy = output.deepCopy();
        if (copy.get("video") instanceof ObjectNode video) {
            video.remove("bitrate");
        }
        return copy;
    }

    /**
     * Identities (in {@code next}) of the running outputs whose upload keys ({@code wanted}, by output name) are not
     * the ones they were opened with ({@code opened}): a rotated Secret reopens them, as {@link Plan#reopening} says.
     */
    public static Set<String> newCredentials(MixTaskSpec next, Map<String, SpecSubmission.S3Credentials> opened,
                                             Map<String, SpecSubmission.S3Credentials> wanted) {
        Set<String> changed = new HashSet<>();
        for (int i = 0; i < next.outputs.size(); i++) {
            String name = next.outputs.get(i).displayName(i);
            if (!Objects.equals(opened.get(name), wanted.get(name))) {
                changed.add(SpecDiff.identity(next.outputs.get(i), i));
            }
        }
        return changed;
    }
}
