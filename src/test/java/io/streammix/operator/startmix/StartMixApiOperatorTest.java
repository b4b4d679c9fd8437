package io.streammix.operator.startmix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.PlayInfo;
import io.streammix.startmix.MixTaskStore;
import io.streammix.startmix.StartMixApi;
import io.streammix.startmix.StartMixNames;
import io.streammix.startmix.StartMixTokens;
import io.streammix.operator.spec.InvalidSpecException;
import io.streammix.operator.spec.SpecResolver;
import io.streammix.operator.testing.CrdSetup;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.FakeWorkerResource;
import io.streammix.operator.testing.Tasks;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The start-mix API as the operator serves it (Quarkus REST on the main port, tokens from labelled Secrets, MixTasks
 * through the fabric8 client) against the fabric8 mock API server, with the operator reconciling what it creates.
 * Every request is a real HTTP call, with the Content-Type the vendor's samples send.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@QuarkusTestResource(FakeWorkerResource.class)
class StartMixApiOperatorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS_A = "tenant-a";
    static final String NS_B = "tenant-b";
    static final String TOKEN_A = "token-of-tenant-a-0123456789abcdef";
    static final String TOKEN_B = "token-of-tenant-b-with-an-appid-0123456789";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    KubernetesClient client;

    @Inject
    SpecResolver resolver;

    @TestHTTPResource("/cgi/start-mix")
    URL startUrl;

    @TestHTTPResource("/cgi/stop-mix")
    URL stopUrl;

    @TestHTTPResource(value = "/health/live", management = true) // the management root is /q
    URL managementHealth;

    @TestHTTPResource("/q/health/live")
    URL mainPortHealth;

    @BeforeEach
    void tokens() throws Exception {
        FakeWorker worker = FakeWorkerResource.worker();
        worker.expectTokens(key -> Tasks.token(client, key));
        for (String ns : List.of(NS_A, NS_B)) {
            if (client.namespaces().withName(ns).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            }
        }
        token(NS_A, "start-mix-token", TOKEN_A, null);
        token(NS_B, "start-mix-token", TOKEN_B, "42");
        // The informer has them when a request with the token is no longer refused as unknown.
        await().atMost(Duration.ofSeconds(10)).until(() -> post(stopUrl, TOKEN_B, "{\"task_id\":\"none\"}").path("code").asInt() != StartMixApi.AUTH
                && post(stopUrl, TOKEN_A, "{\"task_id\":\"none\"}").path("code").asInt() != StartMixApi.AUTH);
    }

    @AfterEach
    void cleanUp() {
        client.resources(MixTask.class).inNamespace(NS_A).delete();
        client.resources(MixTask.class).inNamespace(NS_B).delete();
        await().until(() -> client.resources(MixTask.class).inAnyNamespace().list().getItems().isEmpty());
    }

    void token(String ns, String name, String token, String appid) {
        SecretBuilder b = new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .addToLabels(StartMixTokens.LABEL, "true").endMetadata().addToStringData("token", token);
        if (appid != null) {
            b.addToStringData("appid", appid);
        }
        client.secrets().resource(b.build()).createOr(r -> r.update());
    }

    @Test
    void section3BodyBecomesAMixTaskWithEveryFieldMappedAndTheOperatorsPlayUrls() throws Exception {
        JsonNode reply = post(startUrl, TOKEN_A, seed("seed-section3.json"));
        System.out.println("section 3 body -> " + reply);
        assertThat(reply.path("code").asInt()).as(reply.toString()).isZero();
        assertThat(reply.path("message").asText()).isEqualTo("success");
        String name = io.streammix.startmix.StartMixNames.resourceName("mult_output_task_id");
        MixTask t = client.resources(MixTask.class).inNamespace(NS_A).withName(name).get();
        assertThat(t).as("created in the token's namespace").isNotNull();
        assertThat(t.getMetadata().getLabels()).containsEntry(StartMixApi.CREATED_BY, StartMixApi.CREATED_BY_VALUE);
        assertThat(t.getMetadata().getAnnotations()).containsEntry(StartMixApi.TASK_ID_ANNOTATION, "mult_output_task_id")
                .containsEntry(StartMixApi.APPID_ANNOTATION, "400840168");
        var s = t.getSpec();
        assertThat(s.seq).isEqualTo(1L);
        assertThat(s.inputs).extracting(i -> i.streamId).containsExactly("stream1", "stream2");
        assertThat(s.inputs.get(1).rect.left).isEqualTo(320);
        assertThat(s.outputs).extracting(o -> o.streamId).containsExactly("mix_stream1", "mix_stream2");
        assertThat(s.outputs).extracting(o -> o.video.codec.name()).containsOnly("H265");
        assertThat(s.outputs.get(0).audio.bitrate).isEqualTo(64000);
        assertThat(s.seiMode.name()).isEqualTo("EveryFrame");

        JsonNode data = reply.path("data");
        assertThat(data.has("mix_duration")).as("a new task: no duration yet").isFalse();
        assertThat(data.path("seq").asLong()).isEqualTo(1);
        assertThat(data.path("play")).hasSize(2);
        JsonNode play = data.path("play").get(0);
        assertThat(play.path("stream_alias").asText()).isEqualTo("mix_stream1");
        assertThat(play.path("hdl_url").asText()).isEqualTo("http://mt-" + name + "." + NS_A + ".svc:8080/live/mix_stream1.flv");
        assertThat(play.path("hls_url").asText()).isEqualTo("http://mt-" + name + "." + NS_A + ".svc:8080/live/mix_stream1/index.m3u8");
        assertThat(play.path("rtmp_url").asText()).as("the test profile's RTMP play template").isEqualTo("rtmp://play.example.com//mix_stream1");
        assertThat(reply.path("warnings").toString()).contains("watermark.image: 'iamge-id' is not a URL")
                .contains("version: 1 accepted, not used").contains("timestamp: accepted, not used")
                .contains("MixOutput[0].audio_enc_id: 0, HE-AAC is encoded as AAC-LC");
        // The play URLs are those the operator writes into status.
        MixTask reconciled = await().until(() -> client.resources(MixTask.class).inNamespace(NS_A).withName(name).get(),
                m -> m.getStatus() != null && m.getStatus().play != null);
        assertThat(reconciled.getStatus().play).extracting(p -> p.flvUrl).containsExactly(
                data.path("play").get(0).path("hdl_url").asText(), data.path("play").get(1).path("hdl_url").asText());
    }

    @Test
    void phpSampleWithNullsAndUserDataCreatesItsAudioOnlyTask() throws Exception {
        JsonNode reply = post(startUrl, TOKEN_A, seed("seed-php.json"), "application/json; charset=utf-8", false);
        System.out.println("PHP sample -> " + reply);
        assertThat(reply.path("code").asInt()).as(reply.toString()).isZero();
        MixTask t = client.resources(MixTask.class).inNamespace(NS_A).withName("xxx").get();
        assertThat(t.getSpec().seq).isZero();
        assertThat(t.getSpec().userData).isNull();
        assertThat(t.getSpec().roomId).isEqualTo("xxxxx");
        assertThat(t.getSpec().outputs.get(0).hasVideo()).isFalse();
        assertThat(t.getSpec().outputs.get(0).streamId).isEqualTo("xxxxx");
        assertThat(reply.at("/data/id_name").asText()).isEqualTo("xxx");
        assertThat(reply.at("/data/live_channel").asText()).isEqualTo("xxxxx");
        assertThat(reply.at("/data/play/0/hdl_url").asText()).isEqualTo("http://mt-xxx." + NS_A + ".svc:8080/live/xxxxx.flv");
        assertThat(reply.path("warnings").toString()).contains("MixOutput[0].mixurl: ignored because stream_id is given");
    }

    @Test
    void curlSampleAsSentTakesItsAvertpUrlsAsStreamIdsAndSaysSo() throws Exception {
        JsonNode reply = post(startUrl, TOKEN_A, seed("seed-curl.json"));
        System.out.println("curl sample -> " + reply);
        assertThat(reply.path("code").asInt()).as(reply.toString()).isZero();
        MixTask t = client.resources(MixTask.class).inNamespace(NS_A).withName("task1").get();
        assertThat(t.getSpec().inputs.get(0).streamId).isEqualTo("mix-input-test-1000yanglei");
        assertThat(t.getSpec().outputs.get(0).streamId).isEqualTo("mix-output-test-1000yanglei");
        assertThat(t.getSpec().outputs.get(0).video.width).isEqualTo(840);
        assertThat(t.getMetadata().getAnnotations()).containsEntry(StartMixApi.APPID_ANNOTATION, "3828875002");
        assertThat(reply.at("/data/play/0/stream_alias").asText()).isEqualTo("mix-output-test-1000yanglei");
        assertThat(reply.path("warnings").toString()).contains("output_bg_image: the vendor's preset images are not available here")
                .contains("MixInput[0].url: avertp:// is the vendor's private transport; pulled as stream_id 'mix-input-test-1000yanglei'")
                .contains("seq: missing");
    }

    @Test
    void javaSampleWithStreamIdAndMixurlPushesToTheCdnUnderTheStreamId() throws Exception {
        JsonNode reply = post(startUrl, TOKEN_A, seed("seed-java.json"), "application/x-www-form-urlencoded", false);
        System.out.println("Java sample -> " + reply);
        assertThat(reply.path("code").asInt()).as(reply.toString()).isZero();
        MixTask t = client.resources(MixTask.class).inNamespace(NS_A).withName("xxx").get();
        assertThat(t.getSpec().outputs.get(0).url).isEqualTo("rtmp://127.0.0.1/xxx/os");
        assertThat(t.getSpec().outputs.get(0).name).isEqualTo("os");
        assertThat(reply.at("/data/play/0/stream_alias").asText()).isEqualTo("os");
        assertThat(reply.at("/data/play/0/hdl_url").asText()).endsWith("/live/os.flv");
    }

    @Test
    void higherSeqUpdatesWithTheDurationFromStatusLowerSeqIsRefusedAndChangesNothing() throws Exception {
        String first = request("upd", 1, 0);
        assertThat(post(startUrl, TOKEN_A, first).path("code").asInt()).isZero();
        FakeWorker worker = FakeWorkerResource.worker();
        worker.report(NS_A, "upd", FakeWorker.running(1, 42, List.of("cam"), List.of("upd-out")));
        await().atMost(Duration.ofSeconds(15)).until(() -> client.resources(MixTask.class).inNamespace(NS_A).withName("upd").get(),
                m -> m.getStatus() != null && m.getStatus().mixDuration != null && m.getStatus().mixDuration >= 42);

        JsonNode updated = post(startUrl, TOKEN_A, request("upd", 2, 320));
        assertThat(updated.path("code").asInt()).as(updated.toString()).isZero();
        assertThat(updated.at("/data/seq").asLong()).isEqualTo(2);
        assertThat(updated.at("/data/mix_duration").asLong()).as("an update reports how long the mix has run").isGreaterThanOrEqualTo(42);
        MixTask after = client.resources(MixTask.class).inNamespace(NS_A).withName("upd").get();
        assertThat(after.getSpec().seq).isEqualTo(2L);
        assertThat(after.getSpec().inputs.get(0).rect.left).isEqualTo(320);
        assertThat(after.getMetadata().getGeneration()).isEqualTo(2L);

        JsonNode stale = post(startUrl, TOKEN_A, request("upd", 1, 0));
        assertThat(stale.path("code").asInt()).isEqualTo(StartMixApi.STALE_SEQ);
        assertThat(stale.path("message").asText()).isEqualTo("seq: 1 is lower than the last seq 2 of task_id 'upd'; refused, the mix keeps running as it is");
        MixTask unchanged = client.resources(MixTask.class).inNamespace(NS_A).withName("upd").get();
        assertThat(unchanged.getMetadata().getGeneration()).as("no spec write").isEqualTo(2L);
        assertThat(unchanged.getSpec().inputs.get(0).rect.left).isEqualTo(320);
    }

    @Test
    void stopDeletesTheTaskAndASecondStopFindsNothing() throws Exception {
        assertThat(post(startUrl, TOKEN_A, request("to-stop", 5, 0)).path("code").asInt()).isZero();
        // A stop is not ordered by seq: a resent older body stops the task, and the reply says its seq was lower.
        JsonNode stopped = post(stopUrl, TOKEN_A, "{\"task_id\":\"to-stop\",\"id_name\":\"caller\",\"seq\":4,\"appid\":42}", "application/json", true);
        assertThat(stopped.path("code").asInt()).as(stopped.toString()).isZero();
        assertThat(stopped.path("warnings").toString()).contains("seq: 4 is lower than the task's last seq 5; stopped all the same");
        assertThat(client.resources(MixTask.class).inNamespace(NS_A).withName("to-stop").get()).isNull();
        JsonNode again = post(stopUrl, TOKEN_A, "{\"task_id\":\"to-stop\"}");
        assertThat(again.path("code").asInt()).isEqualTo(StartMixApi.NOT_FOUND);
    }

    @Test
    void tokensAreCheckedAndBindTheirNamespaceAndAppid() throws Exception {
        String body = request("tenant-task", 1, 0);
        assertThat(post(startUrl, null, body).path("code").asInt()).as("no token").isEqualTo(StartMixApi.AUTH);
        JsonNode bad = post(startUrl, TOKEN_A + "x", body);
        assertThat(bad.path("code").asInt()).isEqualTo(StartMixApi.AUTH);
        assertThat(bad.toString()).doesNotContain(TOKEN_A);
        assertThat(client.resources(MixTask.class).inAnyNamespace().list().getItems()).isEmpty();

        assertThat(post(startUrl, TOKEN_A, body, "application/json", true).path("code").asInt()).as("bearer header").isZero();
        // Token B is for tenant-b and appid 42: it cannot reach tenant-a's task, nor speak for another appid.
        JsonNode otherApp = post(startUrl, TOKEN_B, body.replace("\"appid\":42", "\"appid\":400840168"));
        assertThat(otherApp.path("code").asInt()).isEqualTo(StartMixApi.FORBIDDEN);
        assertThat(otherApp.path("message").asText()).startsWith("appid:");
        assertThat(post(stopUrl, TOKEN_B, "{\"task_id\":\"tenant-task\"}").path("code").asInt()).isEqualTo(StartMixApi.NOT_FOUND);
        assertThat(client.resources(MixTask.class).inNamespace(NS_A).withName("tenant-task").get()).as("tenant-a's task untouched").isNotNull();
        assertThat(post(startUrl, TOKEN_B, request("tenant-task", 0, 320)).path("code").asInt()).isZero();
        assertThat(client.resources(MixTask.class).inNamespace(NS_B).withName("tenant-task").get()).as("its own, in tenant-b").isNotNull();
        assertThat(client.resources(MixTask.class).inNamespace(NS_A).withName("tenant-task").get().getSpec().seq).isEqualTo(1L);

        // A token Secret deleted stops working.
        client.secrets().inNamespace(NS_B).withName("start-mix-token").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> post(stopUrl, TOKEN_B, "{\"task_id\":\"x\"}").path("code").asInt() == StartMixApi.AUTH);
    }

    @Test
    void malformedJsonUnknownFieldsAndBadValuesAreRefusedNamingTheFieldAndChangeNothing() throws Exception {
        assertThat(post(startUrl, TOKEN_A, request("kept", 1, 0)).path("code").asInt()).isZero();
        MixTask before = client.resources(MixTask.class).inNamespace(NS_A).withName("kept").get();

        JsonNode malformed = post(startUrl, TOKEN_A, "{\"task_id\":\"kept\",\"seq\":2,");
        assertThat(malformed.path("code").asInt()).isEqualTo(StartMixApi.PARSE);
        assertThat(malformed.path("message").asText()).startsWith("request body: not valid JSON");
        JsonNode unknown = post(startUrl, TOKEN_A, request("kept", 2, 0).replace("\"MixOutput\"", "\"MixOutputs\""));
        assertThat(unknown.path("code").asInt()).isEqualTo(StartMixApi.INVALID);
        assertThat(unknown.path("message").asText()).isEqualTo("MixOutput: at least one output is required (ignored, not start-mix fields: MixOutputs)");
        JsonNode type = post(startUrl, TOKEN_A, request("kept", 2, 0).replace("\"bitrate\":800000", "\"bitrate\":\"fast\""));
        assertThat(type.path("message").asText()).isEqualTo("MixOutput[0].bitrate: must be a number (got 'fast')");
        JsonNode range = post(startUrl, TOKEN_A, request("kept", 2, 0).replace("\"bitrate\":800000", "\"bitrate\":0"));
        assertThat(range.path("code").asInt()).isEqualTo(StartMixApi.INVALID);
        assertThat(range.path("message").asText()).startsWith("MixOutput[0].bitrate: must be between 1 and");
        JsonNode fps = post(startUrl, TOKEN_A, request("kept", 2, 0).replace("\"fps\":15", "\"fps\":45"));
        assertThat(fps.path("message").asText()).as("the operator's own cap").isEqualTo("MixOutput[0].fps: must be at most 30 on this cluster (got 45)");
        JsonNode dup = post(startUrl, TOKEN_A, "{\"task_id\":\"kept\",\"task_id\":\"other\"}");
        assertThat(dup.path("code").asInt()).isEqualTo(StartMixApi.PARSE);

        MixTask after = client.resources(MixTask.class).inNamespace(NS_A).withName("kept").get();
        assertThat(after.getMetadata().getGeneration()).as("the running task is left as it was").isEqualTo(before.getMetadata().getGeneration());
        assertThat((JsonNode) JSON.valueToTree(after.getSpec())).isEqualTo((JsonNode) JSON.valueToTree(before.getSpec()));
    }

    @Test
    void aMixTaskTheApiDidNotCreateIsLeftAlone() throws Exception {
        client.resource(Tasks.mixTask(NS_A, "gitops-task")).create();
        JsonNode reply = post(startUrl, TOKEN_A, request("gitops-task", 9, 0));
        assertThat(reply.path("code").asInt()).isEqualTo(StartMixApi.FORBIDDEN);
        assertThat(post(stopUrl, TOKEN_A, "{\"task_id\":\"gitops-task\"}").path("code").asInt()).isEqualTo(StartMixApi.FORBIDDEN);
        MixTask t = client.resources(MixTask.class).inNamespace(NS_A).withName("gitops-task").get();
        assertThat(t.getSpec().seq).isNull();
        assertThat(t.getSpec().roomId).isEqualTo("room-7");
    }

    /**
     * Requests of one id_name run one at a time: twelve at once (seqs shuffled, two task ids) never overlap in the
     * store, every write carries a seq no lower than the one before it, and the task ends with the highest seq.
     */
    @Test
    void concurrentRequestsOfOneIdNameAreSerialised() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        List<Long> written = new CopyOnWriteArrayList<>();
        MixTaskStore real = new KubernetesMixTaskStore(client, resolver);
        MixTaskStore watched = new MixTaskStore() {
            <T> T in(java.util.function.Supplier<T> call) {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(5); // widen the window a second request would slip into
                    return call.get();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    inside.decrementAndGet();
                }
            }

            @Override
            public Optional<MixTask> get(String namespace, String name) {
                return in(() -> real.get(namespace, name));
            }

            @Override
            public MixTask create(MixTask task) {
                written.add(task.getSpec().seq);
                return in(() -> real.create(task));
            }

            @Override
            public MixTask update(MixTask task) {
                written.add(task.getSpec().seq);
                return in(() -> real.update(task));
            }

            @Override
            public Optional<Stopped> delete(String namespace, String name) {
                return in(() -> real.delete(namespace, name));
            }

            @Override
            public List<PlayInfo> admit(MixTask task) throws InvalidSpecException {
                return real.admit(task);
            }

            @Override
            public int count(String namespace, String label, String value) {
                return in(() -> real.count(namespace, label, value));
            }
        };
        StartMixApi api = new StartMixApi(new StartMixTokens.Table(Map.of(TOKEN_A, new StartMixTokens.Binding(NS_A, null, "test"))), watched);
        List<Integer> seqs = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            seqs.add(i);
        }
        Collections.shuffle(seqs, new java.util.Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<StartMixApi.Reply>> replies = new ArrayList<>();
        for (int seq : seqs) {
            String body = request("same-user-" + (seq % 2), seq, seq * 10);
            replies.add(pool.submit(() -> api.start(TOKEN_A, null, body.getBytes(StandardCharsets.UTF_8))));
        }
        for (Future<StartMixApi.Reply> f : replies) {
            assertThat(f.get().code()).as(f.get().body().message()).isIn(StartMixApi.OK, StartMixApi.STALE_SEQ);
        }
        pool.shutdown();
        assertThat(mostInside.get()).as("never two requests of one id_name in the store at once").isEqualTo(1);
        // Per task id, the writes only go forward in seq.
        for (int parity = 0; parity < 2; parity++) {
            int p = parity;
            List<Long> ofTask = written.stream().filter(s -> s % 2 == p).toList();
            assertThat(ofTask).as("writes of same-user-" + p).isSortedAccordingTo(Long::compare);
            MixTask t = client.resources(MixTask.class).inNamespace(NS_A).withName("same-user-" + p).get();
            assertThat(t.getSpec().seq).isEqualTo(p == 0 ? 12L : 11L);
        }
    }

    /**
     * Issue 21, finding 6, against the API server: two appids' tokens in one namespace never act on each other's task
     * (before, appid 2's token updated and stopped appid 1's), and the cap counts a token's MixTasks by their owner
     * label through a label-selected list.
     */
    @Test
    void anotherAppidsTokenIsRefusedAndTheCapCountsTheTokensTasksInTheApiServer() {
        StartMixApi api = new StartMixApi(new StartMixTokens.Table(Map.of(
                "app-1-token", new StartMixTokens.Binding(NS_A, 1L, NS_A + "/app-1"),
                "app-2-token", new StartMixTokens.Binding(NS_A, 2L, NS_A + "/app-2"))),
                new KubernetesMixTaskStore(client, resolver), 1);
        assertThat(api.start("app-1-token", null, request("owned", 1, 100).replace("\"appid\":42", "\"appid\":1")
                .getBytes(StandardCharsets.UTF_8)).code()).isZero();
        StartMixApi.Reply takeover = api.start("app-2-token", null, request("owned", 9, 200).replace("\"appid\":42", "\"appid\":2")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(takeover.code()).as(takeover.body().message()).isEqualTo(StartMixApi.FORBIDDEN);
        assertThat(api.stop("app-2-token", null, "{\"task_id\":\"owned\"}".getBytes(StandardCharsets.UTF_8)).code())
                .isEqualTo(StartMixApi.FORBIDDEN);
        MixTask task = client.resources(MixTask.class).inNamespace(NS_A).withName("owned").get();
        assertThat(task.getSpec().seq).isEqualTo(1L);
        assertThat(task.getMetadata().getLabels()).containsKey("streammix.io/start-mix-owner");

        StartMixApi.Reply second = api.start("app-1-token", null, request("owned-too", 1, 100).replace("\"appid\":42", "\"appid\":1")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(second.code()).as(second.body().message()).isEqualTo(StartMixApi.LIMIT);
        assertThat(api.start("app-2-token", null, request("theirs", 1, 100).replace("\"appid\":42", "\"appid\":2")
                .getBytes(StandardCharsets.UTF_8)).code()).as("a cap per token").isZero();
    }

    /**
     * Issue 22: the operator's reply says what the embedded server's says. Before the worker runs the task: each input
     * by stream id (it may not be published yet) and each image (never fetched by the API); within the bounded wait
     * (mixtask.start-mix.reply-wait, 3 s), what the worker's status then says: inputs not live and its warnings. Before,
     * these showed only in status.
     */
    @Test
    void theReplySaysWhatWaitsAndWhatTheWorkerReportedWithinTheWait() throws Exception {
        FakeWorker worker = FakeWorkerResource.worker();
        io.streammix.worker.contract.WorkerReport lost = FakeWorker.withInputState(1, 1, List.of("cam"), List.of("noted-out"), "cam");
        worker.report(NS_A, "noted", new io.streammix.worker.contract.WorkerReport(lost.state(), lost.startedAt(),
                lost.mixDurationSeconds(), lost.generation(), lost.seq(), lost.inputs(), lost.outputs(),
                List.of("output_bg_image: 36.0 MB, over the 5 MB limit: not shown"), null));
        String body = "{\"task_id\":\"noted\",\"id_name\":\"noted\",\"appid\":1,\"seq\":1,"
                + "\"output_bg_image\":\"https://cdn.example.com/bg.png\","
                + "\"MixInput\":[{\"stream_id\":\"cam\",\"rect\":{\"top\":0,\"left\":0,\"bottom\":360,\"right\":640}}],"
                + "\"MixOutput\":[{\"stream_id\":\"noted-out\",\"bitrate\":800000,\"fps\":15,\"width\":640,\"height\":360}]}";
        JsonNode reply = post(startUrl, TOKEN_A, body);
        System.out.println("operator reply with a waiting input and a large image -> " + reply);
        assertThat(reply.path("code").asInt()).as(reply.toString()).isZero();
        List<String> warnings = new ArrayList<>();
        reply.path("warnings").forEach(w -> warnings.add(w.asText()));
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("MixInput[0].stream_id: 'cam' is pulled from the media server"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("output_bg_image: not fetched by the API"));
        assertThat(warnings).contains("status.warnings: output_bg_image: 36.0 MB, over the 5 MB limit: not shown");
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("status.inputs[cam]: Lost"));
    }

    /** The API's port serves the API only: health and metrics (the chart's probes and ServiceMonitor) are on the management port. */
    @Test
    void healthAndMetricsAreOnTheManagementPortNotOnTheApisPort() throws Exception {
        assertThat(managementHealth.getPort()).isNotEqualTo(startUrl.getPort());
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(managementHealth.toURI()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\": \"UP\"");
        URI metrics = managementHealth.toURI().resolve("/q/metrics");
        assertThat(HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body()).contains("jvm_");
        assertThat(HTTP.send(HttpRequest.newBuilder(mainPortHealth.toURI()).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .as("no health on the API's port").isEqualTo(404);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(startUrl.toString().replace("/cgi/start-mix", "/q/metrics"))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).as("no metrics on the API's port").isEqualTo(404);
    }

    /** A small valid request of id_name "same-user" (all its tasks are serialised together). */
    static String request(String taskId, long seq, int left) {
        return ("{\"timestamp\":1562052086,\"id_name\":\"same-user\",\"task_id\":\"%s\",\"appid\":42,\"seq\":%d,"
                + "\"MixInput\":[{\"url\":\"synthetic:testsrc?size=320x360&fps=15\",\"rect\":{\"top\":0,\"left\":%d,\"bottom\":360,\"right\":%d}}],"
                + "\"MixOutput\":[{\"stream_id\":\"%s-out\",\"bitrate\":800000,\"fps\":15,\"width\":640,\"height\":360}]}")
                .formatted(taskId, seq, left, left + 320, taskId);
    }

    static String seed(String name) throws Exception {
        return new String(StartMixApiOperatorTest.class.getResourceAsStream("/io/streammix/startmix/" + name).readAllBytes(),
                StandardCharsets.UTF_8);
    }

    /** As the curl sample posts: the token in the query, curl's default Content-Type for -d. */
    static JsonNode post(URL url, String token, String body) throws Exception {
        return post(url, token, body, "application/x-www-form-urlencoded", false);
    }

    static JsonNode post(URL url, String token, String body, String contentType, boolean bearer) throws Exception {
        String target = url.toString() + (token != null && !bearer ? "?access_token=" + token : "");
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(target)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30));
        if (token != null && bearer) {
            r.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(response.body());
    }

}
