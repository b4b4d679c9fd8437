package io.streammix.operator.metrics;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.api.v1alpha1.WorkerInfo;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's metrics scraped (Prometheus text, as {@code /q/metrics} serves it) while 20 reconcile threads -- the
 * operator's maximum -- update their tasks. Definitions:
 * <ul>
 * <li><b>missing</b>: a scrape has no {@code mixtask_task_phase} row or no {@code mixtask_worker_container_restarts}
 * row for a known task; every task is observed once before the threads start, so every scrape must show both;</li>
 * <li><b>stale</b>: after {@code observed(task, phase, restarts)} returned in a thread, the next scrape (started by
 * that thread, which alone updates that task) does not show that phase, and only it, at 1 and those restarts.</li>
 * </ul>
 * Re-registering MultiGauge rows from each reconcile (the code before) showed both within a second.
 */
class OperatorMetricsConcurrencyTest {
    static final int THREADS = 20;
    static final int TASKS_PER_THREAD = 5;
    static final int UPDATES_PER_THREAD = 200;
    static final Pattern ROW = Pattern.compile("^(mixtask_task_phase|mixtask_worker_container_restarts)\\{([^}]*)} (\\S+)$",
            Pattern.MULTILINE);
    static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final OperatorMetrics metrics = new OperatorMetrics(registry, Duration.ofSeconds(30), new OperatorMetricsTest.MutableClock());

    @Test
    void scrapesDuringTwentyConcurrentReconcilersNeverMissOrLagARow() throws Exception {
        List<List<MixTask>> owned = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<MixTask> mine = new ArrayList<>();
            for (int i = 0; i < TASKS_PER_THREAD; i++) {
                MixTask task = Tasks.mixTask("ns" + (i % 2), "t" + t + "-" + i);
                task.getMetadata().setUid(UUID.randomUUID().toString());
                metrics.observed(task, status(Phase.Pending, 0));
                mine.add(task);
            }
            owned.add(mine);
        }
        int allTasks = THREADS * TASKS_PER_THREAD;

        ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> missing = new ConcurrentLinkedQueue<>();
        AtomicInteger loopScrapes = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        Thread scraper = new Thread(() -> {
            while (!done.get()) {
                Map<String, Row> rows = rows(registry.scrape());
                loopScrapes.incrementAndGet();
                for (List<MixTask> mine : owned) {
                    for (MixTask task : mine) {
                        Row r = rows.get(key(task));
                        if (r == null || r.phases.isEmpty() || r.restarts == null) {
                            missing.add(key(task) + " in scrape " + loopScrapes.get() + ": " + r);
                        }
                    }
                }
            }
        }, "scraper");
        List<Thread> reconcilers = new ArrayList<>();
        Map<String, MixTaskStatus> last = new java.util.concurrent.ConcurrentHashMap<>();
        for (int t = 0; t < THREADS; t++) {
            List<MixTask> mine = owned.get(t);
            reconcilers.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int u = 0; u < UPDATES_PER_THREAD; u++) {
                    MixTask task = mine.get(random.nextInt(mine.size()));
                    Phase phase = Phase.values()[random.nextInt(Phase.values().length)];
                    int restarts = random.nextInt(100);
                    MixTaskStatus status = status(phase, restarts);
                    metrics.observed(task, status);
                    last.put(key(task), status);
                    Row r = rows(registry.scrape()).get(key(task));
                    if (r == null || !r.shows(phase, restarts)) {
                        stale.add(key(task) + " after " + phase + "/" + restarts + ": " + r);
                    }
                }
            }, "reconciler-" + t));
        }
        scraper.start();
        reconcilers.forEach(Thread::start);
        long started = System.nanoTime();
        start.countDown();
        for (Thread r : reconcilers) {
            r.join(120_000);
        }
        done.set(true);
        scraper.join(30_000);
        System.out.printf("OperatorMetricsConcurrencyTest: %d threads x %d updates with a scrape after each, %d loop scrapes "
                        + "of %d tasks in %d ms: %d stale, %d missing%n", THREADS, UPDATES_PER_THREAD, loopScrapes.get(), allTasks,
                (System.nanoTime() - started) / 1_000_000, stale.size(), missing.size());

        assertThat(stale).as("rows older than the update that returned before the scrape").isEmpty();
        assertThat(missing).as("rows missing from a scrape").isEmpty();
        assertThat(loopScrapes.get()).as("scrapes taken while the reconcilers ran").isGreaterThan(10);
        // At rest: the counts by phase agree with the rows.
        Map<String, Row> rows = rows(registry.scrape());
        assertThat(rows).hasSize(allTasks);
        assertThat(rows.values()).allSatisfy(r -> assertThat(r.phases()).hasSize(Phase.values().length));
        for (Phase p : Phase.values()) {
            long expected = rows.values().stream().filter(r -> r.phases.get(p.name()) == 1.0).count();
            assertThat(registry.get("mixtask.tasks").tag("phase", p.name()).gauge().value()).as(p.name()).isEqualTo(expected);
        }
        last.forEach((key, status) -> assertThat(rows.get(key).shows(status.phase, status.worker.restarts)).as(key).isTrue());
    }

    /** A task's rows in one scrape: value by phase, and its restarts. */
    record Row(Map<String, Double> phases, Double restarts) {
        boolean shows(Phase phase, int restarts) {
            return this.restarts != null && this.restarts == restarts
                    && phases.entrySet().stream().filter(e -> e.getValue() == 1.0).map(Map.Entry::getKey).toList()
                    .equals(List.of(phase.name()));
        }
    }

    static Map<String, Row> rows(String scrape) {
        Map<String, Map<String, Double>> phases = new HashMap<>();
        Map<String, Double> restarts = new HashMap<>();
        Matcher m = ROW.matcher(scrape);
        while (m.find()) {
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            String key = labels.get("namespace") + "/" + labels.get("task");
            double value = Double.parseDouble(m.group(3));
            if (m.group(1).equals("mixtask_task_phase")) {
                phases.computeIfAbsent(key, k -> new HashMap<>()).put(labels.get("phase"), value);
            } else {
                restarts.put(key, value);
            }
        }
        Map<String, Row> rows = new HashMap<>();
        phases.forEach((key, p) -> rows.put(key, new Row(p, restarts.get(key))));
        restarts.forEach((key, r) -> rows.putIfAbsent(key, new Row(Map.of(), r)));
        return rows;
    }

    static String key(MixTask task) {
        return task.getMetadata().getNamespace() + "/" + task.getMetadata().getName();
    }

    static MixTaskStatus status(Phase phase, int restarts) {
        MixTaskStatus s = new MixTaskStatus();
        s.phase = phase;
        s.worker = new WorkerInfo();
        s.worker.restarts = restarts;
        return s;
    }
}
