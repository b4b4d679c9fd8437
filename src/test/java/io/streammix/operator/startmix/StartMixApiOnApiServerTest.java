package io.streammix.operator.startmix;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.startmix.StartMixApi;
import io.streammix.operator.spec.SpecResolver;
import io.streammix.testing.kube.ChartRelease;
import io.streammix.testing.kube.ControlPlane;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The start-mix API on the real control plane, with exactly the chart's permissions when {@code startMixApi.enabled}:
 * the token is an admin's labelled Secret read through the release's ServiceAccount, the MixTask is created by the
 * API under that identity (the chart's extra MixTask verbs), admitted by the real CRD, made Ready by the release's
 * operator with a real worker, updated by a higher seq and deleted by stop-mix. A verb the API uses and the chart
 * lacks fails here.
 */
@org.junit.jupiter.api.Tag(io.streammix.testing.kube.ControlPlane.TAG)
class StartMixApiOnApiServerTest {
    static final String TENANT = "api-tenant";

    @Test
    void seedRequestBecomesAReadyMixTaskUnderTheChartsPermissionsAndStopDeletesIt() throws Exception {
        ControlPlane cp = ControlPlane.forMixTasks();
        ChartRelease release = ChartRelease.install(cp, "api-mixtask-operator", "mixtask-api", Map.of("startMixApi.enabled", "true",
                "leaderElection.enabled", "false", "statusRefreshInterval", "2s"));
        cp.kubectl("create", "namespace", TENANT);
        String token = "t-" + java.util.UUID.randomUUID();
        cp.kubectl().runWithInput(Files.readString(Path.of("examples/start-mix/token-secret.yaml"))
                .replace("namespace: default", "namespace: " + TENANT).replace("change-me-to-a-long-random-string", token),
                "apply", "-f", "-").assertSuccess();

        Map<String, String> overrides = ChartRelease.LOOPBACK_OVERRIDES;
        try (ChartRelease.Running operator = release.startOperator(overrides, null);
             KubernetesClient asOperator = release.operatorClient();
             SecretTokens tokens = new SecretTokens(asOperator, List.of());
             KubernetesClient admin = cp.adminClient()) {
            StartMixApi api = new StartMixApi(tokens, new KubernetesMixTaskStore(asOperator,
                    new SpecResolver(release.config(overrides), asOperator)));
            byte[] request = Files.readAllBytes(Path.of("examples/start-mix/request.json"));

            StartMixApi.Reply wrong = api.start("not-the-token", null, request);
            assertThat(wrong.code()).isEqualTo(StartMixApi.AUTH);

            StartMixApi.Reply started = await().atMost(Duration.ofSeconds(10)) // the token informer's first list
                    .until(() -> api.start(token, null, request), r -> r.code() != StartMixApi.AUTH);
            assertThat(started.code()).as(String.valueOf(started.body())).isEqualTo(StartMixApi.OK);
            assertThat(started.body().data().play()).singleElement()
                    .satisfies(p -> assertThat(p.hdlUrl()).isEqualTo("http://mt-demo-mix." + TENANT + ".svc:8080/live/demo-mix.flv"));
            MixTask created = admin.resources(MixTask.class).inNamespace(TENANT).withName("demo-mix").get();
            assertThat(created.getMetadata().getLabels()).containsEntry(StartMixApi.CREATED_BY, StartMixApi.CREATED_BY_VALUE);
            assertThat(created.getSpec().inputs).hasSize(2);
            cp.kubectl("wait", "-n", TENANT, "--for=condition=Ready", "mt/demo-mix", "--timeout=90s").assertSuccess();

            String update = new String(request).replace("\"seq\": 1", "\"seq\": 2").replace("\"bitrate\": 800000", "\"bitrate\": 600000");
            StartMixApi.Reply updated = api.start(token, null, update.getBytes());
            assertThat(updated.code()).as(String.valueOf(updated.body())).isEqualTo(StartMixApi.OK);
            assertThat(admin.resources(MixTask.class).inNamespace(TENANT).withName("demo-mix").get().getSpec().outputs.get(0).video.bitrate)
                    .isEqualTo(600_000);
            StartMixApi.Reply stale = api.start(token, null, request);
            assertThat(stale.code()).isEqualTo(StartMixApi.STALE_SEQ);

            StartMixApi.Reply stopped = api.stop(token, null, Files.readAllBytes(Path.of("examples/start-mix/stop.json")));
            assertThat(stopped.code()).as(String.valueOf(stopped.body())).isEqualTo(StartMixApi.OK);
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.resources(MixTask.class).inNamespace(TENANT).withName("demo-mix").get() == null
                    && admin.pods().inNamespace(TENANT).list().getItems().isEmpty());
        }
    }
}
