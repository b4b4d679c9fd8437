package io.streammix.operator;

import com.sun.management.OperatingSystemMXBean;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 500 MixTasks against the mock API server, with the production refresh interval (10 s) and thread
 * count: time from create to worker Deployment (median, p95), time until all are Running, and heap
 * and CPU at rest. The mock API server and the fake worker run in the same JVM, so the heap and CPU
 * figures are upper bounds for the operator alone. Run:
 * {@code flock /tmp/mvn.lock ./mvnw -q test -Dtest=OperatorBenchmark -Dtest.excludedGroups=}
 */
@Tag("benchmark")
@EnableKubernetesMockClient(crud = true)
class OperatorBenchmark {
    static final int TASKS = Integer.getInteger("benchmark.tasks", 500);
    static final String NS = "bench";
    static KubernetesClient client;

    @Test
    void fiveHundredTasks() throws Exception {
        try (FakeWorker worker = new FakeWorker()) {
            worker.acceptAnyToken();
            for (int i = 0; i < TASKS; i++) {
                worker.report(NS, name(i), FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
            }
            OperatorHarness.createCrd(client);
            Operator operator = OperatorHarness.start(client, OperatorHarness.config(Map.of(
                    "mixtask.worker.control-url-template", worker.controlUrlTemplate(),
                    "mixtask.media.input-url-template", "rtmp://media/live/{streamId}")));
            Map<String, Long> created = new ConcurrentHashMap<>();
            Map<String, Long> deployed = new ConcurrentHashMap<>();
            try (Watch ignored = client.apps().deployments().inNamespace(NS).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Deployment d) {
                    if (action == Action.ADDED) {
                        deployed.putIfAbsent(d.getMetadata().getName().substring(3), System.nanoTime());
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                long start = System.nanoTime();
                for (int i = 0; i < TASKS; i++) {
                    created.put(name(i), System.nanoTime());
                    client.resource(Tasks.mixTask(NS, name(i))).create();
                }
                long createdAll = System.nanoTime();
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250)).until(() -> deployed.size() == TASKS);
                long deployedAll = System.nanoTime();
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        client.resources(MixTask.class).inNamespace(NS).list().getItems().stream()
                                .filter(t -> t.getStatus() != null && t.getStatus().phase == Phase.Running).count() == TASKS);
                long runningAll = System.nanoTime();

                List<Long> latencies = new ArrayList<>();
                created.forEach((task, t0) -> latencies.add((deployed.get(task) - t0) / 1_000_000));
                Collections.sort(latencies);

                // At rest: every task Running, the operator only refreshing statuses every 10 s.
                Thread.sleep(10_000);
                OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                Thread.sleep(30_000);
                double cores = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0);
                System.gc();
                Thread.sleep(1000);
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

                String report = String.format("""
                        === OperatorBenchmark: %d MixTasks (mock API server, fake worker, refresh 10 s, 20 reconcile threads) ===
                        create calls (client side)        : %d ms for all
                        create -> Deployment   median     : %d ms
                        create -> Deployment   p95        : %d ms
                        create -> Deployment   max        : %d ms
                        all Deployments created           : %d ms after the first create
                        all tasks Running (status written): %d ms after the first create
                        heap used at rest (after GC)      : %d MiB (whole JVM: operator + mock API server + fake worker)
                        CPU at rest (30 s window)         : %.1f %% of one core (whole JVM)
                        worker control calls so far       : %d
                        """, TASKS, (createdAll - start) / 1_000_000, latencies.get(latencies.size() / 2),
                        latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1), latencies.get(latencies.size() - 1),
                        (deployedAll - start) / 1_000_000, (runningAll - start) / 1_000_000, heap / (1024 * 1024), cores * 100,
                        worker.authorizedCalls());
                System.out.println(report);
                assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).hasSize(TASKS);
            } finally {
                operator.stop();
            }
        }
    }

    static String name(int i) {
        return "bench-" + i;
    }
}
