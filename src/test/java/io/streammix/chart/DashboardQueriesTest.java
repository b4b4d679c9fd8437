package io.streammix.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.metrics.OperatorMetrics;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.worker.engine.status.InputFigures;
import io.streammix.worker.engine.status.MixFigures;
import io.streammix.worker.engine.status.OutputFigures;
import io.streammix.worker.engine.status.SinkFigures;
import io.streammix.worker.metrics.WorkerMetrics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No dashboard panel and no rule queries a metric that does not exist: every {@code mixtask_*} name in the
 * dashboard's and the PrometheusRule's expressions is one that a real scrape of the worker's registry
 * ({@link WorkerMetrics}, with one input and one output with two destinations) or of the operator's ({@link OperatorMetrics} in a Prometheus
 * registry, after a reconcile, a failed push and a restart) serves, or a recording rule of the chart.
 */
class DashboardQueriesTest {
    static final Pattern NAME = Pattern.compile("\\bmixtask[_:][a-z0-9_:]*");

    @Test
    void everyMetricTheDashboardAndTheRulesQueryIsServed() throws IOException {
        Set<String> served = new TreeSet<>();
        served.addAll(families(workerScrape()));
        served.addAll(families(operatorScrape()));
        JsonNode rules = HelmChartTest.only(HelmChartTest.render(t -> t.set("metrics.prometheusRule.enabled", true)
                .set("metrics.worker.podMonitor.enabled", true)), "PrometheusRule", "mixtask-operator");
        rules.at("/spec/groups").forEach(g -> g.path("rules").forEach(r -> {
            if (r.has("record")) {
                served.add(r.get("record").asText());
            }
        }));

        Map<String, Set<String>> unknown = new TreeMap<>();
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(HelmChartTest.CHART.resolve("dashboards/mixtask.json")));
        int queries = 0;
        for (JsonNode panel : dashboard.at("/panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries++;
                check("panel " + panel.at("/title").asText(), target.at("/expr").asText(), served, unknown);
            }
        }
        for (JsonNode g : rules.at("/spec/groups")) {
            for (JsonNode r : g.path("rules")) {
                check("rule " + r.path("alert").asText(r.path("record").asText()), r.at("/expr").asText(), served, unknown);
            }
        }
        assertThat(queries).isGreaterThan(20);
        assertThat(unknown).as("metrics queried but not served (served: " + served + ")").isEmpty();
        assertThat(served).as("the scrapes are real: worker and operator families").contains("mixtask_input_state",
                "mixtask_output_bytes_total", "mixtask_task_phase", "mixtask_reconcile_seconds_bucket", "mixtask_worker_restarts_total");
    }

    private static void check(String where, String expr, Set<String> served, Map<String, Set<String>> unknown) {
        Matcher m = NAME.matcher(expr);
        while (m.find()) {
            if (!served.contains(m.group())) {
                unknown.computeIfAbsent(where, k -> new TreeSet<>()).add(m.group());
            }
        }
    }

    /** The metric names (with _bucket, _sum, _count as served) of a Prometheus text scrape. */
    static Set<String> families(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    static String workerScrape() {
        MixFigures figures = new MixFigures(10, 150, 1, 0.5,
                List.of(new InputFigures("cam", "Live", 100, 1, 0.04, 0, 0, 0, 40)),
                List.of(new OutputFigures("main", "Live", 90, 90_000, 0, 0, 1, 0.3, 800_000, 928_000, 1, 0, 1, 0)
                        .withSinks(List.of(new SinkFigures("push", "Reconnecting", 0, 0, 12), new SinkFigures("flv", "Live", 90_000, 800_000, 0)))));
        return new WorkerMetrics("media", "show", () -> figures).scrape();
    }

    static String operatorScrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OperatorMetrics metrics = new OperatorMetrics(registry, OperatorHarness.config(Map.of()));
        MixTask task = Tasks.mixTask("media", "show");
        task.getMetadata().setUid("uid-1");
        MixTaskStatus status = new MixTaskStatus();
        status.phase = Phase.Running;
        metrics.observed(task, status);
        metrics.reconciled(metrics.reconcileStarted(), true);
        metrics.pushFailed(task);
        metrics.workerRestarted(task, OperatorMetrics.RestartReason.SPEC);
        return registry.scrape();
    }
}
