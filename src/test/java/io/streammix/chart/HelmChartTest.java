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
        assertThat(verbs(role, "events")).containsExactlyInAnyOrder("create", "patch");
        // Nothing beyond what is listed: no wildcards, no escalation verbs, no CRD writes.
        assertThat(role.toString()).doesNotContain("\"*\"", "escalate", "bind", "impersonate", "customresourcedefinitions");
        assertThat(of(docs, "Role")).extracting(r -> r.at("/metadata/name").asText()).containsExactly("mixtask-operator-leader-election");
    }

    @Test
    void watchNamespacesGivesNamespacedRolesAndNothingClusterWide() {
        List<JsonNode> docs = render(t -> t.set("watchNamespaces[0]", "media-a").set("watchNamespaces[1]", "media-b"));
        assertThat(of(docs, "ClusterRole")).isEmpty();
        assertThat(of(docs, "ClusterRoleBinding")).isEmpty();
        assertThat(of(docs, "Role")).extracting(r -> r.at("/metadata/namespace").asText())
                .contains("media-a", "media-b");
        assertThat(of(docs, "RoleBinding")).allSatisfy(b ->
                assertThat(b.at("/subjects/0/namespace").asText()).isEqualTo("mixtask"));
        assertThat(of(docs, "ServiceAccount")).filteredOn(s -> s.at("/metadata/name").asText().equals("mixtask-worker"))
                .extracting(s -> s.at("/metadata/namespace").asText()).containsExactlyInAnyOrder("media-a", "media-b");
        assertThat(of(docs, "NetworkPolicy")).extracting(n -> n.at("/metadata/namespace").asText())
                .containsExactlyInAnyOrder("media-a", "media-b");
        String config = only(docs, "ConfigMap", "mixtask-operator").at("/data/application.properties").asText();
        assertThat(config).contains("quarkus.operator-sdk.controllers.mixtask.namespaces=media-a,media-b");
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
        assertThat(c.at("/image").asText()).isEqualTo("ghcr.io/streammix/mixtask-operator:0.1.0");
    }

    @Test
    void workersGetAServiceAccountWithNoPermissionsAndAPolicyGuardingTheirControlPort() {
        List<JsonNode> docs = render(t -> t);
        JsonNode sa = only(docs, "ServiceAccount", "mixtask-worker");
        assertThat(sa.at("/automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(of(docs, "RoleBinding")).noneMatch(b -> b.toString().contains("mixtask-worker"));
        assertThat(of(docs, "ClusterRoleBinding")).noneMatch(b -> b.toString().contains("mixtask-worker"));
        JsonNode policy = only(docs, "NetworkPolicy", "mixtask-operator-workers");
        JsonNode control = policy.at("/spec/ingress/0");
        assertThat(control.at("/ports/0/port").asInt()).isEqualTo(8081);
        assertThat(control.at("/from/0/podSelector/matchLabels/app.kubernetes.io~1component").asText()).isEqualTo("operator");
        assertThat(policy.at("/spec/ingress/1/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(policy.at("/spec/ingress/1/from").isMissingNode()).as("media port open to players").isTrue();
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
        assertThat(of(render(t -> t), "ServiceAccount")).extracting(sa -> sa.at("/metadata/name").asText())
                .as("the workers' service account the chart creates").contains(read.worker().serviceAccount());
    }

    /** Issue 13, finding 5: the chart's tenancy values reach the operator's bounds on spec.worker, as it reads them. */
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

    @Test
    void serviceMonitorOnlyWhenAsked() {
        assertThat(of(render(t -> t), "ServiceMonitor")).isEmpty();
        assertThat(of(render(t -> t.set("metrics.serviceMonitor.enabled", true)), "ServiceMonitor")).hasSize(1);
    }

    @Test
    void badValuesAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> render(t -> t.set("maxFps", 120)))
                .hasMessageContaining("maxFps");
        assertThatThrownBy(() -> render(t -> t.set("watchNamespaces[0]", "Not_A_Namespace")))
                .hasMessageContaining("watchNamespaces");
        assertThatThrownBy(() -> render(t -> t.set("replicaCont", 2)))
                .hasMessageContaining("replicaCont");
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 2).set("leaderElection.enabled", false)))
                .hasMessageContaining("leaderElection.enabled");
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
