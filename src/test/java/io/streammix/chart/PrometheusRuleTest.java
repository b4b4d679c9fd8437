package io.streammix.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streammix.testing.prometheus.Promtool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's PrometheusRule, rendered with its default windows (and the workers' PodMonitor on), checked and unit
 * tested by Prometheus's own promtool: {@code promtool check rules}, and {@code promtool test rules} with
 * src/test/prometheus/*-test.yaml, which must cover every alert firing, not firing and resolving.
 */
class PrometheusRuleTest {
    static final Path TESTS = Path.of("src", "test", "prometheus");
    static final String RULES = "mixtask-rules.yaml";

    @TempDir
    Path dir;
    Promtool promtool;

    @BeforeEach
    void setUp() throws IOException {
        promtool = Promtool.assumeAvailable();
        try (DirectoryStream<Path> tests = Files.newDirectoryStream(TESTS, "*-test.yaml")) {
            for (Path t : tests) {
                Files.copy(t, dir.resolve(t.getFileName()));
            }
        }
    }

    @Test
    void rulesPassPromtoolCheck() throws IOException {
        Files.writeString(dir.resolve(RULES), renderedRules());
        Promtool.Result check = promtool.run(dir, "check", "rules", "--lint=all", "--lint-fatal", RULES);
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertIsUnitTestedFiringNotFiringAndResolving() throws IOException {
        Files.writeString(dir.resolve(RULES), renderedRules());
        // A copy to run by hand: cd target/prometheus-rules && promtool test rules *-test.yaml
        Path copy = Files.createDirectories(Path.of("target", "prometheus-rules"));
        Files.writeString(copy.resolve(RULES), renderedRules());
        Promtool.Result test = promtool.run(dir, testFiles());
        assertThat(test.exitCode()).as(test.output()).isZero();

        Map<String, List<Boolean>> evaluations = evaluationsByAlert();
        assertThat(evaluations.keySet()).as("alerts with unit tests").containsAll(alerts());
        evaluations.forEach((alert, firing) -> {
            int first = firing.indexOf(true);
            assertThat(first).as(alert + " is tested firing").isNotNegative();
            assertThat(firing.subList(0, first)).as(alert + " is tested not firing before it fires").contains(false);
            assertThat(firing.subList(first, firing.size())).as(alert + " is tested resolving after it fired").contains(false);
        });
    }

    /** The tests can fail: the rules before issue 23 (Degraded only, a division by a rate that can be 0) fail them. */
    @Test
    void theUnitTestsCatchTheOldRules() throws IOException {
        String rules = renderedRules();
        String degradedOnly = renderedRules(e -> e.replace("phase=~\"Degraded|Failed\"", "phase=\"Degraded\""));
        assertThat(degradedOnly).isNotEqualTo(rules);
        Files.writeString(dir.resolve(RULES), degradedOnly);
        Promtool.Result test = promtool.run(dir, testFiles());
        assertThat(test.exitCode()).isNotZero();
        assertThat(test.output()).contains("MixTaskDegraded");

        String inf = renderedRules(e -> e.replace("(rate(mixtask_mix_media_seconds_total[2m]) > 0)", "rate(mixtask_mix_media_seconds_total[2m])"));
        assertThat(inf).isNotEqualTo(rules);
        Files.writeString(dir.resolve(RULES), inf);
        test = promtool.run(dir, testFiles());
        assertThat(test.exitCode()).isNotZero();
        assertThat(test.output()).contains("mixtask:cpu_per_media_second:rate2m").contains("+Inf");
    }

    /** The PrometheusRule's spec (its groups), as a Prometheus rule file. */
    static String renderedRules() throws IOException {
        return renderedRules(e -> e);
    }

    /** The same with each rule's {@code expr} edited (to show that the unit tests catch a wrong expression). */
    static String renderedRules(java.util.function.UnaryOperator<String> exprEdit) throws IOException {
        JsonNode rule = HelmChartTest.only(HelmChartTest.render(t -> t.set("metrics.prometheusRule.enabled", true)
                .set("metrics.worker.podMonitor.enabled", true)), "PrometheusRule", "mixtask-operator");
        JsonNode spec = rule.get("spec").deepCopy();
        spec.path("groups").forEach(g -> g.path("rules").forEach(r ->
                ((com.fasterxml.jackson.databind.node.ObjectNode) r).put("expr", exprEdit.apply(r.path("expr").asText()))));
        return new ObjectMapper(new YAMLFactory()).writeValueAsString(spec);
    }

    static Set<String> alerts() throws IOException {
        Set<String> names = new TreeSet<>();
        new ObjectMapper(new YAMLFactory()).readTree(renderedRules()).at("/groups")
                .forEach(g -> g.path("rules").forEach(r -> {
                    if (r.has("alert")) {
                        names.add(r.get("alert").asText());
                    }
                }));
        return names;
    }

    private String[] testFiles() throws IOException {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        try (DirectoryStream<Path> tests = Files.newDirectoryStream(dir, "*-test.yaml")) {
            tests.forEach(t -> args.add(t.getFileName().toString()));
        }
        return args.toArray(String[]::new);
    }

    /** Per alert, in each test group's order of eval_time: whether the test expects it firing. */
    @SuppressWarnings("unchecked")
    private Map<String, List<Boolean>> evaluationsByAlert() throws IOException {
        Map<String, List<Boolean>> byAlert = new TreeMap<>();
        try (DirectoryStream<Path> tests = Files.newDirectoryStream(dir, "*-test.yaml")) {
            for (Path file : tests) {
                // SnakeYAML resolves the files' anchors and aliases.
                Map<String, Object> doc = new Yaml().load(Files.readString(file));
                for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("tests")) {
                    List<Map<String, Object>> cases = new ArrayList<>((List<Map<String, Object>>) group.getOrDefault("alert_rule_test", List.of()));
                    cases.sort(java.util.Comparator.comparing(c -> java.time.Duration.parse("PT" + c.get("eval_time").toString().toUpperCase())));
                    for (Map<String, Object> c : cases) {
                        byAlert.computeIfAbsent((String) c.get("alertname"), a -> new ArrayList<>())
                                .add(!((List<?>) c.getOrDefault("exp_alerts", List.of())).isEmpty());
                    }
                }
            }
        }
        return byAlert;
    }
}
