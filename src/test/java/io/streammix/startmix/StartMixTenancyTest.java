package io.streammix.startmix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.startmix.embedded.StartMixServer;
import io.streammix.worker.NativeSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, finding 6: start-mix tenancy, attacked through the embedded server (the same {@link StartMixApi} as the
 * operator's, each task a real engine). Each test failed on the code before it: another appid's token updated and
 * stopped a task; two ids of one 32-bit name, or an id spelled like another's hashed name, overwrote a task; a token
 * had no cap; an error named another namespace's task.
 */
class StartMixTenancyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String APP1 = "token-of-appid-1-0123456789abcdef";
    static final String APP2 = "token-of-appid-2-0123456789abcdef";
    static final String ANY_APP = "token-without-appid-0123456789abc";
    static final String OTHER_NS = "token-of-tenant-b-0123456789abcde";
    static final String CAPPED_A = "capped-token-a-0123456789abcdef0";
    static final String CAPPED_B = "capped-token-b-0123456789abcdef0";

    @TempDir
    static Path dir;
    static StartMixServer server;
    /** Tokens with a cap of 2 tasks each. */
    static StartMixServer capped;

    @BeforeAll
    static void start() throws Exception {
        NativeSetup.prepare(System.getenv());
        java.nio.file.Files.createDirectories(dir.resolve("main"));
        java.nio.file.Files.createDirectories(dir.resolve("capped"));
        Map<String, StartMixTokens.Binding> tokens = new HashMap<>();
        tokens.put(APP1, new StartMixTokens.Binding("tenant-a", 1L, "tenant-a/app1"));
        tokens.put(APP2, new StartMixTokens.Binding("tenant-a", 2L, "tenant-a/app2"));
        tokens.put(ANY_APP, new StartMixTokens.Binding("tenant-a", null, "tenant-a/any"));
        tokens.put(OTHER_NS, new StartMixTokens.Binding("tenant-b", null, "tenant-b/any"));
        server = StartMixServer.start(new StartMixServer.Options("127.0.0.1", 0, 0, dir.resolve("main"), null, tokens));
        capped = StartMixServer.start(new StartMixServer.Options("127.0.0.1", 0, 0, dir.resolve("capped"), null,
                Map.of(CAPPED_A, new StartMixTokens.Binding("tenant-a", null, "tenant-a/capped-a"),
                        CAPPED_B, new StartMixTokens.Binding("tenant-a", null, "tenant-a/capped-b")), 20, 2));
    }

    @AfterAll
    static void stop() {
        for (StartMixServer s : new StartMixServer[] {server, capped}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @AfterEach
    void stopWhatATestLeft() {
        for (StartMixServer s : new StartMixServer[] {server, capped}) {
            for (String key : s.store().running()) {
                String[] nsName = key.split("/");
                s.store().delete(nsName[0], nsName[1]);
            }
        }
    }

    @Test
    void aTokenOfOneAppidNeitherUpdatesNorStopsAnotherAppidsTask() throws Exception {
        assertThat(code(post(server, "start-mix", APP1, body("shared", 1L, 1, "out-app1", 200000)))).isZero();
        String name = StartMixNames.resourceName("shared");

        // appid 2's token, speaking for appid 2 (its own): today it updated appid 1's task.
        JsonNode update = post(server, "start-mix", APP2, body("shared", 2L, 5, "out-app2", 900000));
        assertThat(code(update)).as(update.toString()).isEqualTo(StartMixApi.FORBIDDEN);
        assertThat(update.path("message").asText()).startsWith("appid: task_id 'shared' is another appid's task");
        // ... without an appid in the body it acts for its token's appid: refused the same.
        assertThat(code(post(server, "start-mix", APP2, body("shared", null, 5, "out-app2", 900000)))).isEqualTo(StartMixApi.FORBIDDEN);
        // A token bound to no appid, speaking for appid 2, may not take over a task recorded for appid 1 either.
        assertThat(code(post(server, "start-mix", ANY_APP, body("shared", 2L, 5, "out-app2", 900000)))).isEqualTo(StartMixApi.FORBIDDEN);
        assertThat(code(post(server, "stop-mix", APP2, "{\"task_id\":\"shared\",\"appid\":2}"))).isEqualTo(StartMixApi.FORBIDDEN);
        assertThat(code(post(server, "stop-mix", APP2, "{\"task_id\":\"shared\"}"))).isEqualTo(StartMixApi.FORBIDDEN);
        assertThat(code(post(server, "stop-mix", ANY_APP, "{\"task_id\":\"shared\",\"appid\":2}"))).isEqualTo(StartMixApi.FORBIDDEN);

        MixTask task = server.store().get("tenant-a", name).orElseThrow();
        assertThat(task.getSpec().outputs.get(0).video.bitrate).as("appid 1's task as it was").isEqualTo(200000);
        assertThat(task.getMetadata().getAnnotations()).containsEntry(StartMixApi.APPID_ANNOTATION, "1");
        // Its own appid updates and stops it, with or without appid in the body (the token's is the default).
        assertThat(code(post(server, "start-mix", APP1, body("shared", null, 2, "out-app1", 300000)))).isZero();
        assertThat(code(post(server, "stop-mix", APP1, "{\"task_id\":\"shared\"}"))).isZero();
        assertThat(server.store().running()).isEmpty();
    }

    @Test
    void twoIdsOfOne32BitNameAreTwoTasks() throws Exception {
        String[] ids = collidingIds();
        assertThat(StartMixNames.legacyResourceName(ids[0])).as("the old names collide")
                .isEqualTo(StartMixNames.legacyResourceName(ids[1]));
        assertThat(StartMixNames.resourceName(ids[0])).isNotEqualTo(StartMixNames.resourceName(ids[1]));
        for (String id : ids) {
            assertThat(StartMixNames.resourceName(id)).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
        }

        assertThat(code(post(server, "start-mix", APP1, body(ids[0], 1L, 1, "collide-0", 200000)))).isZero();
        JsonNode second = post(server, "start-mix", APP1, body(ids[1], 1L, 1, "collide-1", 200000));
        assertThat(code(second)).as(second.toString()).isZero();
        assertThat(server.store().running()).as("two tasks, neither overwritten").hasSize(2);
        assertThat(code(post(server, "stop-mix", APP1, "{\"task_id\":\"" + ids[1] + "\"}"))).isZero();
        assertThat(server.store().running()).containsExactly("tenant-a/" + StartMixNames.resourceName(ids[0]));
    }

    @Test
    void anIdSpelledLikeAnothersHashedNameIsRefused() throws Exception {
        assertThat(code(post(server, "start-mix", APP1, body("Mix_Task", 1L, 1, "out-original", 200000)))).isZero();
        String hashedName = StartMixNames.resourceName("Mix_Task");
        assertThat(hashedName).isNotEqualTo("Mix_Task");

        JsonNode spoof = post(server, "start-mix", APP1, body(hashedName, 1L, 9, "out-spoof", 900000));
        assertThat(code(spoof)).as(spoof.toString()).isEqualTo(StartMixApi.FORBIDDEN);
        assertThat(spoof.path("message").asText()).startsWith("task_id: '" + hashedName + "' gives the name of another task");
        assertThat(code(post(server, "stop-mix", APP1, "{\"task_id\":\"" + hashedName + "\"}"))).isEqualTo(StartMixApi.FORBIDDEN);
        MixTask task = server.store().get("tenant-a", hashedName).orElseThrow();
        assertThat(task.getSpec().outputs.get(0).streamId).isEqualTo("out-original");
    }

    @Test
    void aTaskOfThe32BitNameIsStillUpdatedAndStoppedInPlace() throws Exception {
        // As the API wrote it before the names grew: created-by label, task id annotation, the 32-bit name.
        MixTask old = StartMixConverter.convert(JSON.readTree(body("Old_Task", 1L, 1, "out-old", 200000)), "tenant-a").task();
        String legacy = StartMixNames.legacyResourceName("Old_Task");
        old.getMetadata().setName(legacy);
        old.getMetadata().setLabels(Map.of(StartMixApi.CREATED_BY, StartMixApi.CREATED_BY_VALUE));
        old.getMetadata().setAnnotations(Map.of(StartMixApi.TASK_ID_ANNOTATION, "Old_Task", StartMixApi.APPID_ANNOTATION, "1"));
        server.store().create(old);

        assertThat(code(post(server, "start-mix", APP1, body("Old_Task", 1L, 2, "out-old", 300000)))).isZero();
        assertThat(server.store().running()).as("updated, not duplicated").containsExactly("tenant-a/" + legacy);
        assertThat(server.store().get("tenant-a", legacy).orElseThrow().getSpec().outputs.get(0).video.bitrate).isEqualTo(300000);
        assertThat(code(post(server, "stop-mix", APP1, "{\"task_id\":\"Old_Task\"}"))).isZero();
        assertThat(server.store().running()).isEmpty();
    }

    @Test
    void aTokenHasAtMostItsCapOfTasks() throws Exception {
        assertThat(code(post(capped, "start-mix", CAPPED_A, body("a-1", null, 1, "cap-a-1", 200000)))).isZero();
        assertThat(code(post(capped, "start-mix", CAPPED_A, body("a-2", null, 1, "cap-a-2", 200000)))).isZero();
        JsonNode third = post(capped, "start-mix", CAPPED_A, body("a-3", null, 1, "cap-a-3", 200000));
        assertThat(code(third)).as(third.toString()).isEqualTo(StartMixApi.LIMIT);
        assertThat(third.path("message").asText()).isEqualTo("task_id: this access_token has 2 tasks, the most it may have (2); stop one first");
        assertThat(capped.store().running()).hasSize(2);
        // Updates of its tasks are not creations; another token has a cap of its own.
        assertThat(code(post(capped, "start-mix", CAPPED_A, body("a-1", null, 2, "cap-a-1", 300000)))).isZero();
        assertThat(code(post(capped, "start-mix", CAPPED_B, body("b-1", null, 1, "cap-b-1", 200000)))).isZero();
        // A stop frees a place.
        assertThat(code(post(capped, "stop-mix", CAPPED_A, "{\"task_id\":\"a-2\"}"))).isZero();
        assertThat(code(post(capped, "start-mix", CAPPED_A, body("a-3", null, 1, "cap-a-3", 200000)))).isZero();
    }

    @Test
    void anErrorNeverNamesAnotherNamespacesTask() throws Exception {
        assertThat(code(post(server, "start-mix", APP1, body("secret-task-name", 1L, 1, "popular-stream", 200000)))).isZero();
        JsonNode clash = post(server, "start-mix", OTHER_NS, body("mine", null, 1, "popular-stream", 200000));
        assertThat(code(clash)).as(clash.toString()).isEqualTo(StartMixApi.INVALID);
        assertThat(clash.path("message").asText()).startsWith("MixOutput[0].stream_id: 'popular-stream' is already played by another task")
                .doesNotContain("tenant-a").doesNotContain("secret-task-name");
    }

    /** Two task ids whose 32-bit names (before this change) are equal: same cleaned form, same first 8 hex of SHA-256. */
    static String[] collidingIds() {
        Map<String, String> seen = new HashMap<>();
        for (int n = 1; ; n++) {
            StringBuilder id = new StringBuilder("t");
            for (int bit = 0; bit < 40; bit++) {
                id.append((n >> bit & 1) == 1 ? 'X' : 'x'); // cleans to "txxx...": only the hash tells them apart
            }
            String name = StartMixNames.legacyResourceName(id.toString());
            String before = seen.putIfAbsent(name, id.toString());
            if (before != null) {
                return new String[] {before, id.toString()};
            }
        }
    }

    /** A 160x120 mix of one synthetic input, as the vendor's body names it. */
    static String body(String taskId, Long appid, long seq, String outputStream, int bitrate) {
        return ("{\"task_id\":\"%s\",\"id_name\":\"caller\",%s\"seq\":%d,"
                + "\"MixInput\":[{\"url\":\"synthetic:color?color=#FF0000&size=160x120&fps=10\",\"rect\":{\"top\":0,\"left\":0,\"bottom\":120,\"right\":160}}],"
                + "\"MixOutput\":[{\"stream_id\":\"%s\",\"bitrate\":%d,\"fps\":10,\"width\":160,\"height\":120}]}")
                .formatted(taskId, appid == null ? "" : "\"appid\":" + appid + ",", seq, outputStream, bitrate);
    }

    static int code(JsonNode reply) {
        return reply.path("code").asInt();
    }

    static JsonNode post(StartMixServer s, String endpoint, String token, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/cgi/" + endpoint))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
