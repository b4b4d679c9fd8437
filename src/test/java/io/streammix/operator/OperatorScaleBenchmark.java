package io.streammix.operator;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.Tasks;
import io.streammix.testing.kube.ChartRelease;
import io.streammix.testing.kube.ControlPlane;
import io.streammix.testing.kube.ControlPlaneBinaries;
import io.streammix.testing.kube.LoopbackKubelet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator at scale on the real control plane: 1,000 MixTasks, the chart's defaults (10 s refresh, 60 s figures,
 * 10 reconcile threads) and its permissions. Workers are a fake at their control API (one server answering for all,
 * every task mixing) and their pods are Ready without a process; the Deployments, ReplicaSets and Pods are the real
 * controllers'. Prints: create -> Deployment p50/p95, time until all are Ready, the JVM heap the operator added
 * (after GC), and the API server's own count of writes at steady state. Run alone:
 * {@code ./mvnw -q test -Dtest=OperatorScaleBenchmark -Dtest.excludedGroups= [-Dbenchmark.tasks=1000]}
 */
@Tag("benchmark")
@org.junit.jupiter.api.Tag(io.streammix.testing.kube.ControlPlane.TAG)
class OperatorScaleBenchmark {
    static final int TASKS = Integer.getInteger("benchmark.tasks", 1000);
    static final String NS = "scale";
    static final Pattern REQUESTS = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$", Pattern.MULTILINE);

    @Test
    void thousandTasks() throws Exception {
        ControlPlaneBinaries.assumeAvailable();
        ControlPlane cp = ControlPlane.shared();
        cp.installCrd();
        cp.kubelet(LoopbackKubelet.Runtime.READY_WITHOUT_PROCESSES);
        ChartRelease release = ChartRelease.install(cp, "scale-mixtask-operator", "mixtask-scale", Map.of());
        try (KubernetesClient admin = cp.adminClient(); FakeWorker worker = new FakeWorker()) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            worker.acceptAnyToken();
            for (int i = 0; i < TASKS; i++) {
                worker.report(NS, name(i), FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
            }
            long heapBefore = heapAfterGc();
            Map<String, Long> deployed = new ConcurrentHashMap<>();
            SharedIndexInformer<Deployment> deployments = admin.apps().deployments().inNamespace(NS).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Deployment d) {
                    deployed.putIfAbsent(d.getMetadata().getName().substring(3), System.nanoTime());
                }

                @Override
                public void onUpdate(Deployment a, Deployment b) {
                }

                @Override
                public void onDelete(Deployment d, boolean unknown) {
                }
            });
            try (ChartRelease.Running operator = release.startOperator(Map.of(
                    "mixtask.worker.control-url-template", worker.controlUrlTemplate(),
                    "mixtask.media.input-url-template", "rtmp://media/live/{streamId}"), null)) {
                Map<String, Long> created = new ConcurrentHashMap<>();
                long start = System.nanoTime();
                for (int i = 0; i < TASKS; i++) {
                    created.put(name(i), System.nanoTime());
                    admin.resource(Tasks.mixTask(NS, name(i))).create();
                }
                long createdAll = System.nanoTime();
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250)).until(() -> deployed.size() == TASKS);
                long deployedAll = System.nanoTime();
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> ready(admin) == TASKS);
                long readyAll = System.nanoTime();
                List<Long> latencies = new ArrayList<>();
                created.forEach((task, t0) -> latencies.add((deployed.get(task) - t0) / 1_000_000));
                Collections.sort(latencies);

                // Steady state: every worker pod made (the controller manager's default 20 requests/s paces them) and seen
                // in every status, nothing changing but the clock; then a full figures interval more.
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2)).until(() -> withPod(admin) == TASKS);
                long podsAll = System.nanoTime();
                Thread.sleep(70_000);
                Map<String, Double> before = writes(admin);
                long t0 = System.nanoTime();
                Thread.sleep(120_000);
                Map<String, Double> after = writes(admin);
                double minutes = (System.nanoTime() - t0) / 60e9;
                double statusWrites = after.get("status") - before.get("status");
                double allWrites = after.get("all") - before.get("all");
                double operatorWrites = after.get("operator") - before.get("operator");
                // Only the operator's heap: the test's own informers (the kubelet's pods, the Deployments) go first.
                deployments.close();
                cp.kubelet(LoopbackKubelet.Runtime.READY_WITHOUT_PROCESSES).close();
                long heap = heapAfterGc() - heapBefore;

                System.out.printf("""
                        === OperatorScaleBenchmark: %d MixTasks on kube-apiserver %s (chart defaults: refresh 10 s, figures 60 s, 10 threads) ===
                        create calls (client side)                : %d ms for all
                        create -> Deployment   p50 / p95 / max     : %d / %d / %d ms
                        all Deployments created                   : %.1f s after the first create
                        all tasks Ready (condition written)       : %.1f s after the first create
                        all worker pods in status                 : %.1f s after the first create
                        operator heap after GC                    : %d MiB (JVM heap growth since before it started, the test's informers closed)
                        steady state, over %.1f min:
                          MixTask status writes                   : %.0f = %.2f per task per minute
                          writes by the operator (all resources)  : %.2f per s
                          writes into the API server (everyone)   : %.2f per s
                        """, TASKS, cp.version(), (createdAll - start) / 1_000_000, latencies.get(latencies.size() / 2),
                        latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1), latencies.get(latencies.size() - 1),
                        (deployedAll - start) / 1e9, (readyAll - start) / 1e9, (podsAll - start) / 1e9, heap / (1024 * 1024), minutes, statusWrites,
                        statusWrites / TASKS / minutes, operatorWrites / (minutes * 60), allWrites / (minutes * 60));
                assertThat(ready(admin)).isEqualTo(TASKS);
            } finally {
                deployments.close();
            }
        }
    }

    private static long withPod(KubernetesClient admin) {
        return admin.resources(MixTask.class).inNamespace(NS).list().getItems().stream()
                .filter(t -> t.getStatus() != null && t.getStatus().worker != null && t.getStatus().worker.pod != null).count();
    }

    private static long ready(KubernetesClient admin) {
        return admin.resources(MixTask.class).inNamespace(NS).list().getItems().stream()
                .filter(t -> t.getStatus() != null && t.getStatus().conditions.stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))).count();
    }

    /** The API server's request counters: status writes to MixTasks, writes of the operator's user agent, all writes. */
    private static Map<String, Double> writes(KubernetesClient admin) {
        String metrics = admin.raw("/metrics");
        double status = 0;
        double all = 0;
        Matcher m = REQUESTS.matcher(metrics);
        while (m.find()) {
            String labels = m.group(1);
            double value = Double.parseDouble(m.group(2));
            if (!labels.matches(".*verb=\"(POST|PUT|PATCH|DELETE|APPLY)\".*")) {
                continue;
            }
            all += value;
            if (labels.contains("resource=\"mixtasks\"") && labels.contains("subresource=\"status\"")) {
                status += value;
            }
        }
        return Map.of("status", status, "all", all, "operator", operatorWrites(metrics));
    }

    /** Writes counted per user agent would need audit logs; the operator is the only writer of these resources here. */
    private static double operatorWrites(String metrics) {
        double sum = 0;
        Matcher m = REQUESTS.matcher(metrics);
        while (m.find()) {
            String labels = m.group(1);
            if (labels.matches(".*verb=\"(POST|PUT|PATCH|DELETE)\".*")
                    && labels.matches(".*resource=\"(mixtasks|deployments|services|secrets|networkpolicies|events)\".*")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String name(int i) {
        return "scale-" + i;
    }
}
