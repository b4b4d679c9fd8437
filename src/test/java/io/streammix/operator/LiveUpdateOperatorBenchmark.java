package io.streammix.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.operator.testing.CrdSetup;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.FakeWorkerResource;
import io.streammix.operator.testing.Tasks;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * (b) of the live-update measures, the operator's part: from a MixTask patch to the PUT /spec arriving at the
 * worker, through the operator as it runs in production (Quarkus, watch, resolve, diff, Secret update, push) on
 * the fabric8 mock API server. The worker's part, PUT to the first frame showing it, is LiveUpdateBenchmark (a);
 * the engine is not wired behind this test (the fake worker stands in), so patch-to-frame is the sum of both.
 *
 * <p>Run: {@code flock /tmp/mvn.lock ./mvnw -q test -Dtest=LiveUpdateOperatorBenchmark -Dtest.excludedGroups=none}
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@QuarkusTestResource(FakeWorkerResource.class)
@Tag("benchmark")
class LiveUpdateOperatorBenchmark {
    static final String NS = "bench-live";
    static final int PATCHES = 40;

    @Inject
    KubernetesClient client;

    @Test
    void patchToPut() throws Exception {
        FakeWorker worker = FakeWorkerResource.worker();
        worker.expectTokens(key -> Tasks.token(client, key));
        client.resource(Tasks.mixTask(NS, "b-live")).create();
        worker.report(NS, "b-live", FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            MixTask t = client.resources(MixTask.class).inNamespace(NS).withName("b-live").get();
            return t.getStatus() != null && t.getStatus().phase == Phase.Running;
        });
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < PATCHES; i++) {
            int n = worker.submittedAtNanos(NS, "b-live").size();
            int left = i % 2 == 0 ? 0 : 160;
            long t0 = System.nanoTime();
            client.resources(MixTask.class).inNamespace(NS).withName("b-live").edit(t -> {
                t.getSpec().inputs.get(0).rect = new Rect(left, 0, left + 160, 180);
                return t;
            });
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(2))
                    .until(() -> worker.submittedAtNanos(NS, "b-live").size() > n);
            ms.add((worker.submittedAtNanos(NS, "b-live").get(n) - t0) / 1e6);
            Thread.sleep(200);
        }
        List<Double> sorted = ms.stream().sorted().toList();
        System.out.printf("LiveUpdateOperatorBenchmark: %d live patches, MixTask patch -> PUT /spec at the worker: "
                        + "median %.1f ms, p95 %.1f ms, max %.1f ms (target for patch -> frame: p95 <= 500 ms; add (a) of LiveUpdateBenchmark)%n",
                PATCHES, sorted.get(PATCHES / 2), sorted.get((int) Math.ceil(PATCHES * 0.95) - 1), sorted.get(PATCHES - 1));
    }
}
