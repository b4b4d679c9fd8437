package io.streammix.api.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Argo CD health check that docs/gitops.md tells users to paste is run, as written there, on MixTasks in
 * each state the operator reports: a typo or a wrong field name in the doc fails here, not in a user's Argo CD.
 */
class ArgoHealthCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "resource.customizations.health.streammix.io_MixTask: |";

    @Test
    void noStatusYetIsProgressing() throws IOException {
        assertThat(health("{\"metadata\":{\"generation\":1}}")).containsEntry("status", "Progressing");
    }

    @Test
    void aSpecTheOperatorHasNotSeenIsProgressing() throws IOException {
        assertThat(health("{\"metadata\":{\"generation\":3},\"status\":{\"observedGeneration\":2,\"phase\":\"Running\"}}"))
                .containsEntry("status", "Progressing");
    }

    @Test
    void runningIsHealthyWithTheMixDuration() throws IOException {
        assertThat(health("{\"metadata\":{\"generation\":2},\"status\":{\"observedGeneration\":2,\"phase\":\"Running\","
                + "\"mixDuration\":42,\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Mixing\"}]}}"))
                .containsEntry("status", "Healthy").containsEntry("message", "Mixing for 42 s");
    }

    @Test
    void anInvalidEditIsDegradedWithTheFieldInTheMessage() throws IOException {
        assertThat(health("{\"metadata\":{\"generation\":2},\"status\":{\"observedGeneration\":2,\"phase\":\"Running\","
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"InvalidSpec\","
                + "\"message\":\"spec.outputs[0].video.fps: must be <= 30\"}]}}"))
                .containsEntry("status", "Degraded").containsEntry("message", "spec.outputs[0].video.fps: must be <= 30");
    }

    @Test
    void aDegradedMixIsDegradedWithTheReason() throws IOException {
        assertThat(health("{\"metadata\":{\"generation\":1},\"status\":{\"observedGeneration\":1,\"phase\":\"Degraded\","
                + "\"conditions\":[{\"type\":\"Degraded\",\"status\":\"True\",\"reason\":\"InputLost\",\"message\":\"input guest: Lost\"}]}}"))
                .containsEntry("status", "Degraded").containsEntry("message", "input guest: Lost");
    }

    @Test
    void anEditTheWorkerRefusedIsDegradedWhileTheOldSpecRuns() throws IOException {
        assertThat(health("{\"metadata\":{\"generation\":3},\"status\":{\"observedGeneration\":3,\"phase\":\"Running\","
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Mixing\"},"
                + "{\"type\":\"SpecApplied\",\"status\":\"False\",\"reason\":\"StaleSeq\","
                + "\"message\":\"spec.seq 3 is lower than the last applied seq 5\"}]}}"))
                .containsEntry("status", "Degraded").containsEntry("message", "spec.seq 3 is lower than the last applied seq 5");
    }

    @Test
    void anEditBeingRetriedIsProgressing() throws IOException {
        assertThat(health("{\"metadata\":{\"generation\":3},\"status\":{\"observedGeneration\":3,\"phase\":\"Running\","
                + "\"conditions\":[{\"type\":\"SpecApplied\",\"status\":\"False\",\"reason\":\"PushFailed\","
                + "\"message\":\"push of generation 3 failed (1 of 4 attempts)\"}]}}"))
                .containsEntry("status", "Progressing");
    }

    @Test
    void startingIsProgressing() throws IOException {
        assertThat(health("{\"metadata\":{\"generation\":1},\"status\":{\"observedGeneration\":1,\"phase\":\"Starting\"}}"))
                .containsEntry("status", "Progressing").containsEntry("message", "Starting");
    }

    /** Runs the script from the doc with {@code obj} bound to the MixTask, as Argo CD does. */
    private static Map<String, String> health(String mixTaskJson) throws IOException {
        Globals lua = JsePlatform.standardGlobals();
        lua.set("obj", toLua(JSON.readTree(mixTaskJson)));
        LuaValue hs = lua.load(script(), "health.lua").call();
        return Map.of("status", hs.get("status").tojstring(), "message", hs.get("message").optjstring(""));
    }

    /** The Lua block under the argocd-cm key in docs/gitops.md, de-indented. */
    static String script() throws IOException {
        String doc = Files.readString(Path.of("docs/gitops.md"));
        int start = doc.indexOf(KEY);
        assertThat(start).as("docs/gitops.md has the Argo CD health check").isPositive();
        String block = doc.substring(doc.indexOf('\n', start) + 1, doc.indexOf("```", start));
        StringBuilder out = new StringBuilder();
        block.lines().forEach(l -> out.append(l.length() >= 4 ? l.substring(4) : l.strip()).append('\n'));
        return out.toString();
    }

    private static LuaValue toLua(JsonNode n) {
        if (n.isObject()) {
            LuaTable t = new LuaTable();
            n.fields().forEachRemaining(e -> t.set(e.getKey(), toLua(e.getValue())));
            return t;
        }
        if (n.isArray()) {
            LuaTable t = new LuaTable();
            for (int i = 0; i < n.size(); i++) {
                t.set(i + 1, toLua(n.get(i)));
            }
            return t;
        }
        if (n.isNumber()) {
            return LuaValue.valueOf(n.asDouble());
        }
        if (n.isBoolean()) {
            return LuaValue.valueOf(n.asBoolean());
        }
        return n.isNull() ? LuaValue.NIL : LuaValue.valueOf(n.asText());
    }
}
