package io.streammix.worker.metrics;

import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.hawkular.agent.prometheus.types.Summary;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scrape parsed by a Prometheus text-format parser (Hawkular's prometheus-scraper), not by our own code: what a
 * Prometheus server would make of it.
 */
record PrometheusScrape(Map<String, MetricFamily> families) {

    static PrometheusScrape parse(String body) {
        CollectorPrometheusMetricsWalker walker = new CollectorPrometheusMetricsWalker();
        new TextPrometheusMetricsProcessor(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), walker).walk();
        Map<String, MetricFamily> byName = new LinkedHashMap<>();
        walker.getAllMetricFamilies().forEach(f -> byName.put(f.getName(), f));
        return new PrometheusScrape(byName);
    }

    MetricType type(String family) {
        return family(family).getType();
    }

    MetricFamily family(String name) {
        MetricFamily f = families.get(name);
        if (f == null) {
            throw new AssertionError("no metric family " + name + " in the scrape; families: " + families.keySet());
        }
        return f;
    }

    /** The value of the one sample of {@code family} with these labels (others may be present too). */
    double value(String family, String... labels) {
        return sample(family, labels).map(PrometheusScrape::valueOf)
                .orElseThrow(() -> new AssertionError("no sample " + family + List.of(labels) + " in " + family(family).getMetrics()));
    }

    Optional<Metric> sample(String family, String... labels) {
        return family(family).getMetrics().stream().filter(m -> matches(m, labels)).findFirst();
    }

    List<Metric> samples(String family) {
        return family(family).getMetrics();
    }

    private static boolean matches(Metric m, String... labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!labels[i + 1].equals(m.getLabels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    static double valueOf(Metric m) {
        if (m instanceof Counter c) {
            return c.getValue();
        }
        if (m instanceof Gauge g) {
            return g.getValue();
        }
        if (m instanceof Summary s) {
            return s.getSampleCount();
        }
        throw new AssertionError("not a counter, gauge or summary: " + m);
    }
}
