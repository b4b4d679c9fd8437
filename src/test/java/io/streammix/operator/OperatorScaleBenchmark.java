package io.streammix.operator;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.HprofReferrers;
import io.streammix.operator.testing.OperatorProcess;
import io.streammix.operator.testing.Tasks;
import io.streammix.testing.kube.ChartRelease;
import io.streammix.testing.kube.ControlPlane;
import io.streammix.testing.kube.ControlPlaneBinaries;
import io.streammix.testing.kube.LoopbackKubelet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's curve on the real control plane: for each task count ({@code -Dbenchmark.tasks}, default
 * 250,500,1000,2000) a fresh operator with the chart's defaults (10 s refresh, 60 s figures, 20 reconcile threads) and
 * its permissions creates the workers of that many MixTasks in a namespace of their own. Workers are a fake at their
 * control API (one server answering for all, every task mixing) and their pods are Ready without a process; the
 * Deployments, ReplicaSets and Pods are the real controllers'.
 *
 * <p>The operator runs in a JVM of its own ({@link OperatorProcess}) with the heap the goal names and the GC a pod of
 * the chart's size gets ({@code -Dbenchmark.operator-jvm}, default the chart's {@code MALLOC_ARENA_MAX=2 -Xmx256m
 * -XX:+UseSerialGC -Xmn32m -XX:+ExitOnOutOfMemoryError}), so its heap and RSS are its own, not the test's. With
 * {@code -Dbenchmark.reference-tasks=1000} that size runs again with {@code -Dbenchmark.reference-jvm} (default the JVM
 * before issue 24's RSS cut), printed side by side; {@code -Dbenchmark.nmt} prints each size's NMT summary and
 * {@code -Dbenchmark.heap-dump=1000} who holds the {@code int[]} at that size ({@link HprofReferrers}). Printed per size, in one table:
 * create -> Deployment p95, time until all are Ready, live heap after a full GC (the class histogram's total, which
 * forces one) idle and loaded, KiB per task on the slope (from the previous size; the first from idle), RSS after the
 * run and its peak, MixTask status writes per task per minute at steady state, the operator's HTTP requests per second
 * (counted in its client) and all requests per second the API server served. The class histogram of each size is
 * written to target/operator-scale/ and the top of the 1,000-task one (or the largest) is printed. Run alone:
 * {@code ./mvnw -q test -Dtest=OperatorScaleBenchmark -Dtest.excludedGroups=none [-Dbenchmark.tasks=250,500]}
 */
@Tag("benchmark")
@Tag(ControlPlane.TAG)
class OperatorScaleBenchmark {
    static final List<Integer> SIZES = Arrays.stream(System.getProperty("benchmark.tasks", "250,500,1000,2000").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    /** The chart's operator JVM (values.yaml javaOptions, mallocArenaMax) with the heap a 512Mi pod gets. */
    static final List<String> OPERATOR_JVM = List.of(System.getProperty("benchmark.operator-jvm",
            "MALLOC_ARENA_MAX=2 -Xmx256m -XX:+UseSerialGC -Xmn32m -XX:+ExitOnOutOfMemoryError").trim().split("\\s+"));
    /** The reference, run after the same size for {@code -Dbenchmark.reference-tasks} (default none): the JVM before issue 24's RSS cut. */
    static final List<String> REFERENCE_JVM = List.of(System.getProperty("benchmark.reference-jvm",
            "-Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError").trim().split("\\s+"));
    static final List<Integer> REFERENCE_SIZES = Arrays.stream(System.getProperty("benchmark.reference-tasks", "").split(","))
            .map(String::trim).filter(t -> !t.isEmpty()).map(Integer::valueOf).toList();
    /** {@code -Dbenchmark.nmt}: the operator JVM tracks its native memory; each size's NMT summary is written and printed. */
    static final boolean NMT = Boolean.getBoolean("benchmark.nmt");
    /** {@code -Dbenchmark.heap-dump=1000}: at that size, a heap dump of the operator's live objects (for {@code HprofReferrers}). */
    static final int HEAP_DUMP = Integer.getInteger("benchmark.heap-dump", -1);
    static final Duration STEADY = Duration.ofSeconds(Integer.getInteger("benchmark.steady-seconds", 120));
    static final Path OUT = Path.of("target", "operator-scale");
    static final Pattern REQUESTS = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$", Pattern.MULTILINE);
    static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    /** One size's figures; {@code failure} set when the operator did not get there (e.g. it ran out of heap). */
    record Row(int tasks, boolean reference, long p95Ms, double readySeconds, long idleHeap, long heap, long rssKiB, long peakRssKiB,
               double statusWritesPerTaskMinute, double operatorRequestsPerSecond, double allRequestsPerSecond,
               String failure) {
    }

    @Test
    void curve() throws Exception {
        ControlPlaneBinaries.assumeAvailable();
        ControlPlane cp = ControlPlane.shared();
        cp.installCrd();
        cp.kubelet(LoopbackKubelet.Runtime.READY_WITHOUT_PROCESSES);
        ChartRelease release = ChartRelease.install(cp, "scale-mixtask-operator", "mixtask-scale", Map.of());
        Files.createDirectories(OUT);
        List<Row> rows = new ArrayList<>();
        for (int tasks : SIZES) {
            rows.add(run(cp, release, tasks, false));
            printTable(cp, rows);
            if (REFERENCE_SIZES.contains(tasks)) {
                rows.add(run(cp, release, tasks, true));
                printTable(cp, rows);
            }
        }
        assertThat(rows).allSatisfy(r -> assertThat(r.failure()).as("%d tasks", r.tasks()).isNull());
    }

    private Row run(ControlPlane cp, ChartRelease release, int tasks, boolean reference) throws Exception {
        String suffix = tasks + (reference ? "-ref" : "");
        String ns = "scale-" + suffix;
        try (KubernetesClient admin = cp.adminClient(); FakeWorker worker = new FakeWorker()) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            worker.acceptAnyToken();
            for (int i = 0; i < tasks; i++) {
                worker.report(ns, name(i), FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
            }
            Map<String, Long> deployed = new ConcurrentHashMap<>();
            SharedIndexInformer<Deployment> deployments = admin.apps().deployments().inNamespace(ns).inform(firstSeen(deployed));
            Map<String, String> props = new HashMap<>(release.operatorProperties(Map.of(
                    "mixtask.worker.control-url-template", worker.controlUrlTemplate(),
                    "mixtask.media.input-url-template", "rtmp://media/live/{streamId}")));
            props.put("test.api-url", cp.url());
            props.put("test.token", cp.tokenOf(release.namespace(), release.serviceAccount()));
            props.put("test.namespaces", String.join(",", release.watchNamespaces()));
            List<String> jvm = new ArrayList<>(reference ? REFERENCE_JVM : OPERATOR_JVM);
            if (NMT) {
                jvm.add(0, "-XX:NativeMemoryTracking=summary");
            }
            try (OperatorProcess operator = OperatorProcess.start(jvm, props, OUT.resolve(suffix))) {
                long idleHeap = liveHeap(operator.pid(), null);
                Map<String, Long> created = new ConcurrentHashMap<>();
                long start = System.nanoTime();
                for (int i = 0; i < tasks; i++) {
                    created.put(name(i), System.nanoTime());
                    admin.resource(Tasks.mixTask(ns, name(i))).create();
                }
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250))
                        .until(() -> alive(operator) && deployed.size() == tasks);
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> alive(operator) && ready(admin, ns) == tasks);
                long readyAll = System.nanoTime();
                List<Long> latencies = new ArrayList<>();
                created.forEach((task, t0) -> latencies.add((deployed.get(task) - t0) / 1_000_000));
                Collections.sort(latencies);

                // Steady state: every worker pod made (the controller manager's default 20 requests/s paces them) and seen
                // in every status, nothing changing but the clock; then a full figures interval more.
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2)).until(() -> alive(operator) && withPod(admin, ns) == tasks);
                Thread.sleep(70_000);
                Map<String, Double> before = apiServerCounts(admin);
                long requestsBefore = operator.requests();
                long t0 = System.nanoTime();
                Thread.sleep(STEADY.toMillis());
                Map<String, Double> after = apiServerCounts(admin);
                long requestsAfter = operator.requests();
                double seconds = (System.nanoTime() - t0) / 1e9;
                long heap = liveHeap(operator.pid(), OUT.resolve("histogram-" + suffix + ".txt"));
                long[] rss = rssKiB(operator.pid());
                if (NMT) {
                    jcmd(operator.pid(), OUT.resolve("nmt-" + suffix + ".txt"), "VM.native_memory", "summary");
                }
                if (tasks == HEAP_DUMP) {
                    heapDump(operator.pid(), suffix);
                }
                return new Row(tasks, reference, latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1), (readyAll - start) / 1e9,
                        idleHeap, heap, rss[0], rss[1], (after.get("status") - before.get("status")) / tasks / (seconds / 60),
                        (requestsAfter - requestsBefore) / seconds, (after.get("all") - before.get("all")) / seconds, null);
            } catch (RuntimeException | IOException e) {
                return new Row(tasks, reference, 0, 0, 0, 0, 0, 0, 0, 0, 0, e.toString());
            } finally {
                deployments.close();
                // The next size starts on an empty API server: its namespace goes with everything in it.
                admin.namespaces().withName(ns).delete();
                if (tasks != SIZES.get(SIZES.size() - 1)) {
                    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2)).until(() -> admin.namespaces().withName(ns).get() == null);
                }
            }
        }
    }

    private static void printTable(ControlPlane cp, List<Row> rows) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(String.format("=== OperatorScaleBenchmark on kube-apiserver %s; operator JVM: %s; steady state over %d s ===%n",
                cp.version(), String.join(" ", OPERATOR_JVM), STEADY.toSeconds()));
        out.append(String.format("%6s %12s %10s %10s %10s %9s %10s %10s %14s %12s %11s%n", "tasks", "->Deploy p95", "all Ready",
                "idle heap", "live heap", "KiB/task", "RSS", "peak RSS", "status w/t/min", "operator r/s", "all r/s"));
        Row previous = null;
        for (Row r : rows) {
            String label = r.tasks() + (r.reference() ? "ref" : "");
            if (r.failure() != null) {
                out.append(String.format("%6s failed: %s%n", label, r.failure()));
                continue;
            }
            double slope = previous == null || r.reference() ? (r.heap() - r.idleHeap()) / 1024.0 / r.tasks()
                    : (r.heap() - previous.heap()) / 1024.0 / (r.tasks() - previous.tasks());
            out.append(String.format("%6s %10d ms %8.1f s %6d MiB %6d MiB %9.1f %6d MiB %6d MiB %14.2f %12.1f %11.1f%n", label,
                    r.p95Ms(), r.readySeconds(), r.idleHeap() >> 20, r.heap() >> 20, slope, r.rssKiB() >> 10, r.peakRssKiB() >> 10,
                    r.statusWritesPerTaskMinute(), r.operatorRequestsPerSecond(), r.allRequestsPerSecond()));
            if (!r.reference()) {
                previous = r;
            }
        }
        if (!REFERENCE_SIZES.isEmpty()) {
            out.append(String.format("ref: the reference operator JVM (-Dbenchmark.reference-jvm): %s; its KiB/task is from its idle heap%n",
                    String.join(" ", REFERENCE_JVM)));
        }
        int shown = rows.stream().anyMatch(r -> r.tasks() == 1000 && r.failure() == null) ? 1000
                : rows.stream().filter(r -> r.failure() == null).mapToInt(Row::tasks).max().orElse(-1);
        Path histogram = OUT.resolve("histogram-" + shown + ".txt");
        if (Files.exists(histogram)) {
            out.append(String.format("class histogram of the operator at %d tasks (top 12; all in %s):%n", shown, histogram));
            Files.readAllLines(histogram).stream().limit(15).forEach(l -> out.append(l).append('\n'));
        }
        for (Row r : rows) {
            String suffix = r.tasks() + (r.reference() ? "-ref" : "");
            Path nmt = OUT.resolve("nmt-" + suffix + ".txt");
            if (NMT && Files.exists(nmt)) {
                out.append(String.format("native memory of the operator JVM at %s tasks (NMT summary):%n", suffix));
                Files.readAllLines(nmt).stream().filter(l -> l.matches("^(Total|-\\s+\\S.*\\(reserved=).*"))
                        .forEach(l -> out.append("  ").append(l.replaceFirst("^-\\s+", "").trim()).append('\n'));
            }
            Path referrers = OUT.resolve("int-referrers-" + suffix + ".txt");
            if (Files.exists(referrers)) {
                Files.readAllLines(referrers).forEach(l -> out.append(l).append('\n'));
            }
        }
        System.out.print(out);
        Files.writeString(OUT.resolve("curve.txt"), out);
    }

    private static boolean alive(OperatorProcess operator) {
        if (!operator.isAlive()) {
            throw new IllegalStateException("the operator process exited; see its log in " + OUT);
        }
        return true;
    }

    /** Live heap in bytes: the class histogram's total, after the full GC the histogram forces; written to {@code to}. */
    private static long liveHeap(long pid, Path to) throws IOException, InterruptedException {
        String text = jcmd(pid, to, "GC.class_histogram");
        Matcher m = HISTOGRAM_TOTAL.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no histogram total from jcmd: " + text.lines().limit(5).toList());
        }
        return Long.parseLong(m.group(2));
    }

    /**
     * A dump of the operator's live heap, and who holds its {@code int[]} ({@link HprofReferrers}) in
     * int-referrers-SIZE.txt; the dump itself is deleted (about as big as the live heap).
     */
    private static void heapDump(long pid, String suffix) throws IOException, InterruptedException {
        Path dump = OUT.resolve("heap-" + suffix + ".hprof").toAbsolutePath();
        Files.deleteIfExists(dump);
        jcmd(pid, null, "GC.heap_dump", dump.toString());
        try {
            Files.writeString(OUT.resolve("int-referrers-" + suffix + ".txt"), HprofReferrers.report(dump, "int", 20));
        } catch (IOException | RuntimeException e) {
            Files.writeString(OUT.resolve("int-referrers-" + suffix + ".txt"), "int[] referrers not read from " + dump + ": " + e + "\n");
            return;
        }
        Files.deleteIfExists(dump);
    }

    /** Runs {@code jcmd pid command...}; its output, also written to {@code to} unless null. */
    private static String jcmd(long pid, Path to, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(120, TimeUnit.SECONDS);
        if (to != null) {
            Files.writeString(to, text);
        }
        return text;
    }

    /** The process's resident set now and at its peak (VmRSS, VmHWM), in KiB. */
    private static long[] rssKiB(long pid) throws IOException {
        long[] rss = new long[2];
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss[0] = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmHWM:")) {
                rss[1] = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return rss;
    }

    private static ResourceEventHandler<Deployment> firstSeen(Map<String, Long> deployed) {
        return new ResourceEventHandler<>() {
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
        };
    }

    private static long withPod(KubernetesClient admin, String ns) {
        return admin.resources(MixTask.class).inNamespace(ns).list().getItems().stream()
                .filter(t -> t.getStatus() != null && t.getStatus().worker != null && t.getStatus().worker.pod != null).count();
    }

    private static long ready(KubernetesClient admin, String ns) {
        return admin.resources(MixTask.class).inNamespace(ns).list().getItems().stream()
                .filter(t -> t.getStatus() != null && t.getStatus().conditions.stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))).count();
    }

    /** The API server's request counters: status writes to MixTasks and all requests (every verb, every client). */
    private static Map<String, Double> apiServerCounts(KubernetesClient admin) {
        String metrics = admin.raw("/metrics");
        double status = 0;
        double all = 0;
        Matcher m = REQUESTS.matcher(metrics);
        while (m.find()) {
            String labels = m.group(1);
            double value = Double.parseDouble(m.group(2));
            all += value;
            if (labels.matches(".*verb=\"(POST|PUT|PATCH|APPLY)\".*")
                    && labels.contains("resource=\"mixtasks\"") && labels.contains("subresource=\"status\"")) {
                status += value;
            }
        }
        return Map.of("status", status, "all", all);
    }

    static String name(int i) {
        return "scale-" + i;
    }
}
