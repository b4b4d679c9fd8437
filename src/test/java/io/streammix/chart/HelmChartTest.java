package io.streammix.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.streammix.api.crd.CrdGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Helm chart, linted and rendered in-process with helm-java (no helm binary, no cluster). */
class HelmChartTest {
    static final Path CHART = Path.of("helm", "mixtask-operator");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void lintsClean() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.getMessages()).as("lint messages").noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        assertThat(result.isFailed()).isFalse();
    }

    @Test
    void chartCarriesTheGeneratedCrd() throws IOException {
        assertThat(Files.readString(CHART.resolve("crds").resolve(CrdGenerator.FILE_NAME)))
                .isEqualTo(Files.readString(CrdGenerator.COMMITTED));
    }

    @Test
    void defaultsWatchAllNamespacesWithAClusterRoleOfExactlyTheVerbsUsed() {
        List<JsonNode> docs = render(t -> t);
        JsonNode role = only(docs, "ClusterRole", "mixtask-operator");
        assertThat(verbs(role, "mixtasks")).containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(verbs(role, "mixtasks/status")).containsExactlyInAnyOrder("get", "patch", "update");
        assertThat(verbs(role, "deployments")).containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "patch", "delete");
        assertThat(verbs(role, "pods")).containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(verbs(role, "pods/resize")).as("in-place resize of a worker whose cost changed").containsExactly("patch");
        assertThat(verbs(role, "events")).containsExactlyInAnyOrder("create", "patch");
        // Nothing beyond what is listed: no wildcards, no escalation verbs, no CRD writes.
        assertThat(role.toString()).doesNotContain("\"*\"", "escalate", "bind", "impersonate", "customresourcedefinitions");
        assertThat(of(docs, "Role")).extracting(r -> r.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("mixtask-operator-leader-election", "mixtask-operator-api-server-endpoints");
    }

    @Test
    void watchNamespacesGivesNamespacedRolesAndNothingClusterWide() {
        List<JsonNode> docs = render(t -> t.set("watchNamespaces[0]", "media-a"));
        assertThat(of(docs, "ClusterRole")).isEmpty();
        assertThat(of(docs, "ClusterRoleBinding")).isEmpty();
        assertThat(of(docs, "Role")).extracting(r -> r.at("/metadata/namespace").asText())
                .contains("media-a");
        assertThat(of(docs, "RoleBinding")).allSatisfy(b ->
                assertThat(b.at("/subjects/0/namespace").asText()).isEqualTo("mixtask"));
        assertThat(of(docs, "ServiceAccount")).filteredOn(s -> s.at("/metadata/name").asText().equals("mixtask-worker"))
                .extracting(s -> s.at("/metadata/namespace").asText()).containsExactly("media-a");
        // Worker NetworkPolicies are the operator's (one per task, beside its worker), never the chart's.
        assertThat(of(docs, "NetworkPolicy")).isEmpty();
        String config = only(docs, "ConfigMap", "mixtask-operator").at("/data/application.properties").asText();
        assertThat(config).contains("quarkus.operator-sdk.controllers.mixtask.namespaces=media-a",
                "mixtask.worker.service-account=mixtask-worker");
    }

    @Test
    void severalWatchNamespacesAreAcceptedWithRolesInEach() {
        // Refused by the schema (maxItems 1) while the operator's per-namespace informers shared one store.
        List<JsonNode> docs = render(t -> t.set("watchNamespaces[0]", "media-a").set("watchNamespaces[1]", "media-b"));
        assertThat(of(docs, "ClusterRole")).isEmpty();
        assertThat(of(docs, "Role")).extracting(r -> r.at("/metadata/namespace").asText()).contains("media-a", "media-b");
        assertThat(only(docs, "ConfigMap", "mixtask-operator").at("/data/application.properties").asText())
                .contains("quarkus.operator-sdk.controllers.mixtask.namespaces=media-a,media-b");
    }

    @Test
    void operatorPodIsRestricted() {
        JsonNode pod = only(render(t -> t), "Deployment", "mixtask-operator").at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        JsonNode c = pod.at("/containers/0");
        assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(c.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(c.at("/" + probe + "/httpGet/port").asText()).as(probe + ": Quarkus's management port").isEqualTo("management");
        }
        assertThat(c.at("/ports")).extracting(p -> p.at("/name").asText() + "=" + p.at("/containerPort").asInt())
                .containsExactly("http=8080", "management=9000");
        assertThat(c.at("/image").asText()).isEqualTo("ghcr.io/streammix/mixtask-operator:0.1.0");
    }

    @Test
    void watchingAllNamespacesWorkersRunAsTheirNamespacesDefaultAccountAndTheOperatorFencesEachOne() {
        List<JsonNode> docs = render(t -> t);
        // A ServiceAccount rendered in the release namespace would be of no use to workers elsewhere.
        assertThat(of(docs, "ServiceAccount")).extracting(s -> s.at("/metadata/name").asText()).containsExactly("mixtask-operator");
        assertThat(of(docs, "NetworkPolicy")).isEmpty();
        String config = only(docs, "ConfigMap", "mixtask-operator").at("/data/application.properties").asText();
        assertThat(config).doesNotContain("mixtask.worker.service-account")
                .contains("mixtask.network-policy.enabled=true", "mixtask.network-policy.operator-namespace=mixtask",
                        "mixtask.network-policy.operator-pod-labels.\"app.kubernetes.io/component\"=operator");
        // The API server's own addresses: read by the operator (they move with the control plane), allowed by this Role.
        JsonNode endpoints = only(docs, "Role", "mixtask-operator-api-server-endpoints");
        assertThat(endpoints.at("/metadata/namespace").asText()).isEqualTo("default");
        assertThat(endpoints.at("/rules/0/resources/0").asText()).isEqualTo("endpoints");
        assertThat(endpoints.at("/rules/0/resourceNames/0").asText()).isEqualTo("kubernetes");
        assertThat(endpoints.at("/rules/0/verbs").toString()).isEqualTo("[\"get\"]");
        assertThat(verbs(only(docs, "ClusterRole", "mixtask-operator"), "networkpolicies"))
                .containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "patch", "delete");
    }

    @Test
    void extraDeniedAddressBlocksReachTheOperatorAndPoliciesOffMeansNoPolicyVerbs() {
        String config = only(render(t -> t.set("networkPolicy.egressDeniedCidrs[0]", "10.0.0.10/32")), "ConfigMap", "mixtask-operator")
                .at("/data/application.properties").asText();
        assertThat(config).contains("mixtask.network-policy.egress-denied-cidrs=169.254.0.0/16,fe80::/10,10.0.0.10/32");
        List<JsonNode> off = render(t -> t.set("networkPolicy.enabled", "false"));
        assertThat(only(off, "ConfigMap", "mixtask-operator").at("/data/application.properties").asText())
                .doesNotContain("mixtask.network-policy");
        assertThat(only(off, "ClusterRole", "mixtask-operator").toString()).doesNotContain("networkpolicies");
    }

    @Test
    void workerTolerationsReachTheOperatorsConfigurationAsJsonItCanRead() throws IOException {
        JsonNode config = only(render(t -> t.set("worker.tolerations[0].key", "dedicated").set("worker.tolerations[0].operator", "Equal")
                .set("worker.tolerations[0].value", "media").set("worker.tolerations[0].effect", "NoSchedule")), "ConfigMap", "mixtask-operator");
        java.util.Properties props = new java.util.Properties();
        props.load(new java.io.StringReader(config.at("/data/application.properties").asText()));
        List<io.fabric8.kubernetes.api.model.Toleration> tolerations =
                io.streammix.operator.dependent.WorkerPodTemplate.parseTolerations(props.getProperty("mixtask.worker.tolerations-json"));
        assertThat(tolerations).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("dedicated");
            assertThat(t.getValue()).isEqualTo("media");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(only(render(t -> t), "ConfigMap", "mixtask-operator").at("/data/application.properties").asText())
                .doesNotContain("tolerations-json");
    }

    /** The chart's worker JVM options are the operator's own default (the flags WorkerMemoryBenchmark measured). */
    @Test
    void workerJavaOptionsByDefaultAreTheOperatorsDefault() throws IOException {
        JsonNode config = only(render(t -> t), "ConfigMap", "mixtask-operator");
        java.util.Properties props = new java.util.Properties();
        props.load(new java.io.StringReader(config.at("/data/application.properties").asText()));
        assertThat(props.getProperty("mixtask.worker.java-options"))
                .isEqualTo(io.streammix.operator.config.OperatorConfig.Worker.DEFAULT_JAVA_OPTIONS)
                .contains("-XX:+UseSerialGC");
    }

    /** Every mixtask.* key the chart renders is one the operator knows (an unknown key fails the mapping), with its value. */
    @Test
    void theRenderedConfigurationIsOneTheOperatorReads() throws IOException {
        JsonNode config = only(render(t -> t.set("worker.unreachableGrace", "45s").set("statusRefreshInterval", "5s")),
                "ConfigMap", "mixtask-operator");
        java.util.Properties props = new java.util.Properties();
        props.load(new java.io.StringReader(config.at("/data/application.properties").asText()));
        java.util.Map<String, String> values = new java.util.HashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        io.streammix.operator.config.OperatorConfig read = io.streammix.operator.testing.OperatorHarness.config(values);
        assertThat(read.worker().unreachableGrace()).isEqualTo(java.time.Duration.ofSeconds(45));
        assertThat(read.statusRefreshInterval()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(read.worker().serviceAccount()).as("watching all namespaces: each namespace's default account").isEmpty();
        assertThat(read.networkPolicy().enabled()).isTrue();
        assertThat(read.networkPolicy().operatorPodLabels()).containsEntry("app.kubernetes.io/component", "operator");
        assertThat(read.networkPolicy().egressDeniedCidrs()).contains("169.254.0.0/16", "fe80::/10");
    }

    /** Issue 13, finding 5: the chart's tenancy values reach the operator's bounds on spec.worker, as it reads them. */
    /** Issue 21, finding 7: claims a MixTask may mount come from the admin's list; by label, the operator may get claims. */
    @Test
    void volumeClaimAllowListReachesTheOperatorAndByLabelGrantsGetOnClaims() throws IOException {
        List<JsonNode> docs = render(t -> t.set("tenancy.allowedVolumeClaims[0]", "recording-demo")
                .set("tenancy.allowedVolumeClaimLabels.team", "media"));
        java.util.Properties props = new java.util.Properties();
        props.load(new java.io.StringReader(only(docs, "ConfigMap", "mixtask-operator").at("/data/application.properties").asText()));
        java.util.Map<String, String> values = new java.util.HashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        var t = io.streammix.operator.testing.OperatorHarness.config(values).tenancy();
        assertThat(t.allowedVolumeClaims()).contains(List.of("recording-demo"));
        assertThat(t.allowedVolumeClaimLabels()).containsEntry("team", "media");
        assertThat(verbs(only(docs, "ClusterRole", "mixtask-operator"), "persistentvolumeclaims")).containsExactly("get");

        List<JsonNode> defaults = render(v -> v);
        assertThat(only(defaults, "ClusterRole", "mixtask-operator").toString()).doesNotContain("persistentvolumeclaims");
        assertThat(only(defaults, "ConfigMap", "mixtask-operator").toString()).doesNotContain("allowed-volume-claim");
    }

    @Test
    void tenancyValuesBecomeTheBoundsOfSpecWorker() throws IOException {
        JsonNode config = only(render(t -> t.set("tenancy.allowedImages[0]", "ghcr.io/streammix/mixtask-operator:*")
                .set("tenancy.allowedPriorityClasses[0]", "media").set("tenancy.allowedTolerations[0].key", "dedicated")
                .set("tenancy.allowedTolerations[0].operator", "Exists").set("tenancy.allowedNodeSelectors.pool[0]", "media")
                .set("tenancy.resources.max.memory", "3Gi")), "ConfigMap", "mixtask-operator");
        java.util.Properties props = new java.util.Properties();
        props.load(new java.io.StringReader(config.at("/data/application.properties").asText()));
        java.util.Map<String, String> values = new java.util.HashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        var t = io.streammix.operator.testing.OperatorHarness.config(values).tenancy();
        assertThat(t.allowedImages()).contains(List.of("ghcr.io/streammix/mixtask-operator:*"));
        assertThat(t.allowedPriorityClasses()).contains(List.of("media"));
        assertThat(t.allowedNodeSelectors()).containsEntry("pool", List.of("media"));
        assertThat(t.allowedTolerationsJson().orElseThrow()).contains("\"key\":\"dedicated\"");
        assertThat(t.maxMemory()).isEqualTo("3Gi");
        assertThat(t.minCpu()).isEqualTo("250m");
        assertThatThrownBy(() -> render(v -> v.set("tenancy.allowedImagez[0]", "x"))).hasMessageContaining("allowedImagez");
    }

    /**
     * Issue 21, finding 1: the worker's egress fence (EgressFence) allows internal addresses only where the chart says;
     * by default none (the property "none" becomes an empty MIXTASK_EGRESS_ALLOWED_CIDRS). Image patterns with a '*'
     * inside a name component are refused when the chart renders.
     */
    @Test
    void workerEgressAllowListIsEmptyByDefaultAndImagePatternsNameWholeComponents() throws IOException {
        for (var c : List.<java.util.Map.Entry<UnaryOperator<TemplateCommand>, String>>of(
                java.util.Map.entry(v -> v, "none"),
                java.util.Map.entry(v -> v.set("worker.egressAllowedCidrs[0]", "10.96.0.0/12").set("worker.egressAllowedCidrs[1]", "fd10::/64"),
                        "10.96.0.0/12,fd10::/64"))) {
            JsonNode config = only(render(c.getKey()), "ConfigMap", "mixtask-operator");
            java.util.Properties props = new java.util.Properties();
            props.load(new java.io.StringReader(config.at("/data/application.properties").asText()));
            assertThat(props.getProperty("mixtask.worker.egress-allowed-cidrs")).isEqualTo(c.getValue());
            java.util.Map<String, String> values = new java.util.HashMap<>();
            props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
            var env = io.streammix.operator.dependent.WorkerPodTemplate.egressEnv(
                    io.streammix.operator.testing.OperatorHarness.config(values).worker());
            assertThat(env).singleElement().satisfies(e -> {
                assertThat(e.getName()).isEqualTo("MIXTASK_EGRESS_ALLOWED_CIDRS");
                assertThat(e.getValue()).isEqualTo(c.getValue().equals("none") ? "" : c.getValue());
            });
        }
        assertThatThrownBy(() -> render(v -> v.set("worker.egressAllowedCidrs[0]", "media.example"))).hasMessageContaining("egressAllowedCidrs");
        assertThatThrownBy(() -> render(v -> v.set("tenancy.allowedImages[0]", "ghcr.io/streammix/mix*:*")))
                .hasMessageContaining("allowedImages");
    }

    @Test
    void serviceMonitorOnlyWhenAskedScrapingTheManagementPort() {
        assertThat(of(render(t -> t), "ServiceMonitor")).isEmpty();
        List<JsonNode> docs = render(t -> t.set("metrics.serviceMonitor.enabled", true));
        JsonNode monitor = only(docs, "ServiceMonitor", "mixtask-operator");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("metrics");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        JsonNode metrics = only(docs, "Service", "mixtask-operator-metrics");
        assertThat(metrics.at("/spec/ports/0/name").asText()).isEqualTo("metrics");
        assertThat(metrics.at("/spec/ports/0/targetPort").asText()).isEqualTo("management");
        assertThat(monitor.at("/spec/endpoints/0/honorLabels").asBoolean()).as("per-task series keep the task's namespace").isTrue();
    }

    /** The operator's metrics port: Quarkus's management port (9000 unless application.properties says otherwise). */
    @Test
    void docsValuesAndChartAgreeOnTheOperatorsMetricsPort() throws IOException {
        java.util.Properties app = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            app.load(in);
        }
        assertThat(app.getProperty("quarkus.management.enabled")).isEqualTo("true");
        int management = Integer.parseInt(app.getProperty("quarkus.management.port", "9000"));
        List<JsonNode> docs = render(t -> t.set("metrics.serviceMonitor.enabled", true));
        JsonNode container = only(docs, "Deployment", "mixtask-operator").at("/spec/template/spec/containers/0");
        JsonNode port = null;
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals("management")) {
                port = p;
            }
        }
        assertThat(port).as("the container's management port").isNotNull();
        assertThat(port.path("containerPort").asInt()).isEqualTo(management);
        assertThat(only(docs, "Service", "mixtask-operator-metrics").at("/spec/ports/0/port").asInt()).isEqualTo(management);
        String operatorRow = Files.readAllLines(Path.of("docs", "observability.md")).stream()
                .filter(l -> l.startsWith("| operator metrics |")).findFirst().orElseThrow();
        assertThat(operatorRow).contains("(" + management).contains("/q/metrics");
        String values = Files.readString(CHART.resolve("values.yaml"));
        assertThat(values).contains("/q/metrics on the management port " + management).doesNotContain("/q/metrics on port 8080");
    }

    @Test
    void workerPodMonitorOnlyWhenAskedScrapesTheNamedMetricsPortOfWorkerPods() {
        assertThat(of(render(t -> t), "PodMonitor")).isEmpty();
        JsonNode monitor = only(render(t -> t.set("metrics.worker.podMonitor.enabled", true)
                .set("metrics.worker.podMonitor.labels.release", "kube-prometheus")), "PodMonitor", "mixtask-operator-workers");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus");
        assertThat(monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1component").asText()).isEqualTo("mixtask-worker");
        assertThat(monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1managed-by").asText()).isEqualTo("mixtask-operator");
        JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");
        assertThat(endpoint.at("/port").asText()).as("the worker container's port name (WorkerPodTemplate)")
                .isEqualTo(io.streammix.operator.dependent.WorkerPodTemplate.METRICS_PORT_NAME);
        assertThat(endpoint.at("/path").asText()).isEqualTo(io.streammix.worker.metrics.MetricsServer.PATH);
        assertThat(endpoint.at("/interval").asText()).isEqualTo("15s");
        assertThat(endpoint.has("bearerTokenSecret") || endpoint.has("authorization")).as("no token needed").isFalse();
        assertThat(monitor.at("/spec/namespaceSelector/any").asBoolean()).isTrue();
        JsonNode scoped = only(render(t -> t.set("metrics.worker.podMonitor.enabled", true).set("watchNamespaces[0]", "media-a")),
                "PodMonitor", "mixtask-operator-workers");
        assertThat(scoped.at("/spec/namespaceSelector/matchNames")).extracting(JsonNode::asText).containsExactly("media-a");
    }

    @Test
    void whoMayScrapeWorkersReachesTheOperatorAsANetworkPolicyPeer() throws IOException {
        String none = only(render(t -> t), "ConfigMap", "mixtask-operator").at("/data/application.properties").asText();
        assertThat(none).as("nobody by default: the metrics port stays closed").doesNotContain("metrics-from-json");
        JsonNode config = only(render(t -> t.set("metrics.worker.scrapeFrom.namespaceSelector.matchLabels.team", "monitoring")),
                "ConfigMap", "mixtask-operator");
        java.util.Properties props = new java.util.Properties();
        props.load(new java.io.StringReader(config.at("/data/application.properties").asText()));
        java.util.Map<String, String> values = new java.util.HashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        String json = io.streammix.operator.testing.OperatorHarness.config(values).networkPolicy().metricsFromJson().orElseThrow();
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer peer = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(json, io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer.class);
        assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("team", "monitoring");
        assertThat(peer.getPodSelector()).isNull();
    }

    @Test
    void theWorkersMetricsPortReachesTheOperatorsConfiguration() throws IOException {
        JsonNode config = only(render(t -> t.set("metrics.worker.port", 9300)), "ConfigMap", "mixtask-operator");
        java.util.Properties props = new java.util.Properties();
        props.load(new java.io.StringReader(config.at("/data/application.properties").asText()));
        java.util.Map<String, String> values = new java.util.HashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        assertThat(io.streammix.operator.testing.OperatorHarness.config(values).worker().metricsPort()).isEqualTo(9300);
        assertThatThrownBy(() -> render(t -> t.set("metrics.worker.port", 8081))).hasMessageContaining("port");
    }

    @Test
    void prometheusRuleAlertsNameTheTaskAndTheInputOrOutput() {
        assertThat(of(render(t -> t), "PrometheusRule")).isEmpty();
        JsonNode rule = only(render(t -> t.set("metrics.prometheusRule.enabled", true).set("metrics.prometheusRule.degradedFor", "3m")
                .set("metrics.prometheusRule.alertLabels.team", "media")), "PrometheusRule", "mixtask-operator");
        java.util.Map<String, JsonNode> alerts = new java.util.LinkedHashMap<>();
        rule.at("/spec/groups").forEach(g -> g.path("rules").forEach(r -> {
            if (r.has("alert")) {
                alerts.put(r.get("alert").asText(), r);
            }
        }));
        assertThat(alerts).containsOnlyKeys("MixTaskDegraded", "MixTaskFailed", "MixTaskWorkerRestarting", "MixTaskInputLost",
                "MixTaskOutputNotLive", "MixTaskRecordingUploadFailed", "MixTaskMixStalled");
        assertThat(alerts.get("MixTaskDegraded").at("/for").asText()).isEqualTo("3m");
        java.util.Map<String, String> subject = java.util.Map.of("MixTaskDegraded", "", "MixTaskFailed", "", "MixTaskWorkerRestarting", "",
                "MixTaskInputLost", "input", "MixTaskOutputNotLive", "output", "MixTaskRecordingUploadFailed", "output", "MixTaskMixStalled", "");
        alerts.forEach((name, a) -> {
            String by = subject.get(name).isEmpty() ? "by (namespace, task)" : "by (namespace, task, " + subject.get(name) + ")";
            assertThat(a.at("/expr").asText()).as(name).contains(by);
            String summary = a.at("/annotations/summary").asText();
            assertThat(summary).as(name).contains("{{ $labels.namespace }}/{{ $labels.task }}");
            if (!subject.get(name).isEmpty()) {
                assertThat(summary).as(name).contains("{{ $labels." + subject.get(name) + " }}");
            }
            assertThat(a.at("/labels/team").asText()).isEqualTo("media");
            assertThat(a.at("/labels/severity").asText()).isNotBlank();
        });
        assertThat(documentedMetrics()).as("every metric the rules use is documented").containsAll(metricsIn(rule.toString()));
        assertThat(runbook()).as("a runbook line per alert in docs/observability.md").containsAll(alerts.keySet());

        // MixTaskWorkerDown needs the workers' metrics: only with their PodMonitor (else it would fire for every task).
        JsonNode withWorkers = only(render(t -> t.set("metrics.prometheusRule.enabled", true).set("metrics.worker.podMonitor.enabled", true)),
                "PrometheusRule", "mixtask-operator");
        assertThat(withWorkers.toString()).contains("\"alert\":\"MixTaskWorkerDown\"");
        assertThat(runbook()).contains("MixTaskWorkerDown");
    }

    /** The alerts named in the first column of the runbook table of docs/observability.md. */
    static Set<String> runbook() {
        try {
            Set<String> names = new TreeSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\| `(MixTask\\w+)` \\|").matcher(
                    Files.readString(Path.of("docs", "observability.md")));
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void dashboardIsValidGrafanaJsonInAConfigMapForTheSidecar() throws IOException {
        assertThat(of(render(t -> t), "ConfigMap")).extracting(c -> c.at("/metadata/name").asText()).doesNotContain("mixtask-operator-dashboard");
        JsonNode map = only(render(t -> t.set("metrics.dashboard.enabled", true).set("metrics.dashboard.namespace", "monitoring")),
                "ConfigMap", "mixtask-operator-dashboard");
        assertThat(map.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(map.at("/metadata/namespace").asText()).isEqualTo("monitoring");
        String json = map.at("/data/mixtask.json").asText();
        assertThat(json).isEqualTo(Files.readString(CHART.resolve("dashboards/mixtask.json")).strip());
        JsonNode dashboard = new ObjectMapper().readTree(json);
        assertThat(dashboard.at("/uid").asText()).isEqualTo("mixtask-overview");
        assertThat(dashboard.at("/title").asText()).isNotBlank();
        assertThat(dashboard.at("/schemaVersion").asInt()).isGreaterThanOrEqualTo(30);
        Set<String> variables = new TreeSet<>();
        dashboard.at("/templating/list").forEach(v -> variables.add(v.at("/name").asText()));
        assertThat(variables).containsExactlyInAnyOrder("datasource", "namespace", "task");
        Set<Integer> ids = new TreeSet<>();
        List<int[]> boxes = new ArrayList<>();
        int queries = 0;
        for (JsonNode panel : dashboard.at("/panels")) {
            String title = panel.at("/title").asText();
            assertThat(ids.add(panel.at("/id").asInt())).as("unique id: " + title).isTrue();
            JsonNode g = panel.at("/gridPos");
            int x = g.at("/x").asInt();
            int y = g.at("/y").asInt();
            int w = g.at("/w").asInt();
            int h = g.at("/h").asInt();
            assertThat(w).as(title).isPositive();
            assertThat(x + w).as(title + " fits 24 columns").isLessThanOrEqualTo(24);
            for (int[] b : boxes) {
                boolean overlaps = x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h;
                assertThat(overlaps).as(title + " overlaps another panel").isFalse();
            }
            boxes.add(new int[]{x, y, w, h});
            if (panel.at("/type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(panel.at("/targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.at("/targets")) {
                String expr = target.at("/expr").asText();
                assertThat(expr).as(title).isNotBlank().contains("mixtask_");
                assertThat(balanced(expr)).as(title + ": " + expr).isTrue();
                queries++;
            }
        }
        assertThat(queries).isGreaterThan(20);
        Set<String> used = metricsIn(json);
        assertThat(documentedMetrics()).as("every metric the dashboard uses is documented").containsAll(used);
        assertThat(used).as("the dashboard shows what the issue asks for").contains("mixtask_input_lag_seconds", "mixtask_input_state",
                "mixtask_output_bitrate_bits_per_second", "mixtask_output_target_bitrate_bits_per_second", "mixtask_output_reconnects_total",
                "mixtask_output_video_encode_seconds", "mixtask_mix_tick_lateness_seconds", "mixtask_mix_cpu_seconds_total", "mixtask_tasks",
                "mixtask_reconcile_seconds", "mixtask_worker_push_failures_total", "mixtask_worker_restarts_total");
    }

    /** The metric names docs/observability.md lists in the first column of its tables. */
    static Set<String> documentedMetrics() {
        try {
            return metricsIn(String.join("\n", Files.readAllLines(Path.of("docs", "observability.md")).stream()
                    .filter(l -> l.startsWith("| `mixtask_")).map(l -> l.split("\\|")[1]).toList()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** mixtask_* metric names in PromQL or text, without the _bucket/_sum/_count of histograms and summaries. */
    static Set<String> metricsIn(String text) {
        Set<String> names = new TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bmixtask_[a-z_]+").matcher(text);
        while (m.find()) {
            names.add(m.group().replaceAll("_(bucket|sum|count)$", ""));
        }
        return names;
    }

    private static boolean balanced(String expr) {
        int paren = 0;
        int brace = 0;
        for (char c : expr.toCharArray()) {
            paren += c == '(' ? 1 : c == ')' ? -1 : 0;
            brace += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (paren < 0 || brace < 0) {
                return false;
            }
        }
        return paren == 0 && brace == 0;
    }

    /**
     * The start-mix API is off unless asked: no Service, no Ingress, no write verbs on MixTasks. On, it has a Service
     * on the operator's main port (never the management port), an optional Ingress for /cgi/ only, the configuration
     * switch, and exactly the MixTask verbs it uses on top of the operator's.
     */
    @Test
    void startMixApiIsOffByDefaultAndOnHasItsServiceIngressAndVerbs() throws IOException {
        List<JsonNode> off = render(t -> t);
        assertThat(of(off, "Service")).extracting(d -> d.at("/metadata/name").asText()).doesNotContain("mixtask-operator-start-mix");
        assertThat(of(off, "Ingress")).isEmpty();
        assertThat(only(off, "ConfigMap", "mixtask-operator").at("/data/application.properties").asText())
                .contains("mixtask.start-mix.enabled=false");

        List<JsonNode> on = render(t -> t.set("startMixApi.enabled", true));
        JsonNode service = only(on, "Service", "mixtask-operator-start-mix");
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(80);
        assertThat(service.at("/spec/selector/app.kubernetes.io~1component").asText()).isEqualTo("operator");
        assertThat(of(on, "Ingress")).isEmpty();
        JsonNode role = only(on, "ClusterRole", "mixtask-operator");
        assertThat(verbs(role, "mixtasks")).containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "delete");
        assertThat(verbs(role, "mixtasks/status")).containsExactlyInAnyOrder("get", "patch", "update");
        assertThat(verbs(role, "secrets")).as("token Secrets are read").contains("get", "list", "watch");
        java.util.Properties props = new java.util.Properties();
        props.load(new java.io.StringReader(only(on, "ConfigMap", "mixtask-operator").at("/data/application.properties").asText()));
        java.util.Map<String, String> values = new java.util.HashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        assertThat(io.streammix.operator.testing.OperatorHarness.config(values).startMix().enabled()).isTrue();

        List<JsonNode> namespaced = render(t -> t.set("startMixApi.enabled", true).set("watchNamespaces[0]", "media-a"));
        assertThat(verbs(only(namespaced, "Role", "mixtask-operator"), "mixtasks")).contains("create", "update", "delete");

        List<JsonNode> ingress = render(t -> t.set("startMixApi.enabled", true).set("startMixApi.ingress.enabled", true)
                .set("startMixApi.ingress.host", "mix-api.example.com").set("startMixApi.ingress.className", "nginx")
                .set("startMixApi.ingress.tls[0].secretName", "start-mix-tls").set("startMixApi.ingress.tls[0].hosts[0]", "mix-api.example.com"));
        JsonNode ing = only(ingress, "Ingress", "mixtask-operator-start-mix");
        assertThat(ing.at("/spec/ingressClassName").asText()).isEqualTo("nginx");
        assertThat(ing.at("/spec/rules/0/host").asText()).isEqualTo("mix-api.example.com");
        assertThat(ing.at("/spec/rules/0/http/paths/0/path").asText()).as("the API only, never /q/").isEqualTo("/cgi/");
        assertThat(ing.at("/spec/rules/0/http/paths/0/backend/service/name").asText()).isEqualTo("mixtask-operator-start-mix");
        assertThat(ing.at("/spec/tls/0/secretName").asText()).isEqualTo("start-mix-tls");
        assertThatThrownBy(() -> render(t -> t.set("startMixApi.enable", true))).hasMessageContaining("startMixApi");
    }

    /**
     * Issue 21, finding 6: with startMixApi.namespaces the network-facing API's write verbs are in Roles of those
     * namespaces only: neither the ClusterRole nor the watched namespaces' Roles carry them, and the operator reads
     * tokens (so writes tasks) there only. Before, they were in the ClusterRole: every namespace.
     */
    @Test
    void startMixApiNamespacesConfineItsWriteVerbsToRolesThere() throws IOException {
        List<JsonNode> docs = render(t -> t.set("startMixApi.enabled", true).set("startMixApi.namespaces[0]", "media-a")
                .set("startMixApi.maxTasksPerToken", 5));
        assertThat(verbs(only(docs, "ClusterRole", "mixtask-operator"), "mixtasks")).containsExactlyInAnyOrder("get", "list", "watch");
        JsonNode role = only(docs, "Role", "mixtask-operator-start-mix");
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo("media-a");
        assertThat(verbs(role, "mixtasks")).containsExactlyInAnyOrder("create", "update", "delete");
        assertThat(role.path("rules")).hasSize(1);
        JsonNode binding = only(docs, "RoleBinding", "mixtask-operator-start-mix");
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo("mixtask-operator-start-mix");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("mixtask-operator");
        String props = only(docs, "ConfigMap", "mixtask-operator").at("/data/application.properties").asText();
        assertThat(props).contains("mixtask.start-mix.namespaces=media-a").contains("mixtask.start-mix.max-tasks-per-token=5");
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(props));
        java.util.Map<String, String> values = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        io.streammix.operator.config.OperatorConfig.StartMix startMix = io.streammix.operator.testing.OperatorHarness.config(values).startMix();
        assertThat(startMix.namespaces()).contains(List.of("media-a"));
        assertThat(startMix.maxTasksPerToken()).isEqualTo(5);

        List<JsonNode> watched = render(t -> t.set("startMixApi.enabled", true).set("startMixApi.namespaces[0]", "media-a")
                .set("watchNamespaces[0]", "media-a"));
        for (JsonNode r : of(watched, "Role")) {
            if (r.at("/metadata/name").asText().equals("mixtask-operator")) {
                assertThat(verbs(r, "mixtasks")).as(r.at("/metadata/namespace").asText()).containsExactlyInAnyOrder("get", "list", "watch");
            }
        }
        assertThat(of(watched, "Role")).filteredOn(r -> r.at("/metadata/name").asText().equals("mixtask-operator-start-mix"))
                .extracting(r -> r.at("/metadata/namespace").asText()).containsExactly("media-a");
        assertThatThrownBy(() -> render(t -> t.set("startMixApi.enabled", true).set("startMixApi.namespaces[0]", "media-c")
                .set("watchNamespaces[0]", "media-a"))).hasMessageContaining("startMixApi.namespaces: media-c is not in watchNamespaces");
    }

    @Test
    void badValuesAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> render(t -> t.set("maxFps", 120)))
                .hasMessageContaining("maxFps");
        assertThatThrownBy(() -> render(t -> t.set("watchNamespaces[0]", "Not_A_Namespace")))
                .hasMessageContaining("watchNamespaces");
        assertThatThrownBy(() -> render(t -> t.set("replicaCont", 2)))
                .hasMessageContaining("replicaCont");
    }

    @Test
    void theLeaseRoleIsThereWhateverLeaderElectionEnabledSays() {
        // The image always elects a leader (the Quarkus property is fixed at build time): with leaderElection.enabled=false
        // the chart used to leave out the Lease Role, and the operator could not take its Lease.
        assertThat(of(render(t -> t.set("leaderElection.enabled", false)), "Role")).extracting(r -> r.at("/metadata/name").asText())
                .contains("mixtask-operator-leader-election");
        assertThat(render(t -> t.set("leaderElection.enabled", false)).toString()).doesNotContain("activate-leader-election-for-profiles=");
    }

    static List<JsonNode> render(UnaryOperator<TemplateCommand> values) {
        String out = values.apply(new Helm(CHART).template().withName("mixtask-operator").withNamespace("mixtask").withKubeVersion("1.31.0")).call();
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(out)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isEmpty()) {
                    docs.add(d);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return docs;
    }

    static List<JsonNode> of(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static JsonNode only(List<JsonNode> docs, String kind, String name) {
        List<JsonNode> found = of(docs, kind).stream().filter(d -> name.equals(d.at("/metadata/name").asText())).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    static Set<String> verbs(JsonNode role, String resource) {
        Set<String> verbs = new TreeSet<>();
        for (JsonNode rule : role.path("rules")) {
            for (JsonNode r : rule.path("resources")) {
                if (r.asText().equals(resource)) {
                    rule.path("verbs").forEach(v -> verbs.add(v.asText()));
                }
            }
        }
        return verbs;
    }
}
