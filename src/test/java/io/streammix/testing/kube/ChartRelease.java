package io.streammix.testing.kube;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.testing.OperatorHarness;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The Helm chart installed into the real API server (helm-java, as {@code helm install} does: CRD, RBAC,
 * ServiceAccounts, ConfigMap, the operator's Deployment), and the operator run as that release would run it:
 * with the release's ConfigMap as its configuration and a token of the release's ServiceAccount, so the API server
 * grants it exactly the chart's RBAC. The operator's own pod cannot run here (the kubelet runs only the worker's
 * command, not the built image): a JOSDK operator in the test JVM ({@link OperatorHarness}) stands in for it.
 *
 * @param properties the release's application.properties, as the operator's pod would mount them
 */
public record ChartRelease(ControlPlane cp, String name, String namespace, Map<String, String> values,
                           Map<String, String> properties) {
    public static final Path CHART = Path.of("helm", "mixtask-operator");
    /** What an operator here needs beyond the release's configuration: the worker's control API at its pod IP (no cluster DNS). */
    public static final Map<String, String> LOOPBACK_OVERRIDES = Map.of("mixtask.worker.control-url-template", "http://{podIP}:8081");
    private static final Map<String, ChartRelease> INSTALLED = new ConcurrentHashMap<>();

    /**
     * The release most tests share: the chart's defaults in {@code mixtask-system}, watching all namespaces, with
     * quick status refreshes, a scraper allowed to the workers' metrics port, and the claim of
     * examples/recording-pvc.yaml allowed (claims are refused unless the admin lists them).
     */
    public static ChartRelease standard(ControlPlane cp) {
        return install(cp, "mixtask-operator", "mixtask-system", Map.of("statusRefreshInterval", "2s", "statusFiguresInterval", "4s",
                "metrics.worker.scrapeFrom.namespaceSelector.matchLabels.team", "monitoring",
                "tenancy.allowedVolumeClaims[0]", "recording-demo"));
    }

    /**
     * Installs the chart once per control plane and release name; a later call with the same values returns the same
     * release, one with other values is an error (the release would not be what the caller asked for).
     */
    public static synchronized ChartRelease install(ControlPlane cp, String name, String namespace, Map<String, String> values) {
        ChartRelease known = INSTALLED.get(name);
        if (known != null) {
            if (!known.values().equals(values)) {
                throw new IllegalStateException("release " + name + " is installed with " + known.values() + ", not " + values);
            }
            return known;
        }
        InstallCommand install = new Helm(CHART).install().withName(name).withNamespace(namespace).createNamespace()
                .withKubeConfig(cp.kubeconfig()).withTimeout(120);
        values.forEach(install::set);
        install.call();
        try (KubernetesClient admin = cp.adminClient()) {
            ConfigMap config = admin.configMaps().inNamespace(namespace).withName(fullname(name)).get();
            Properties props = new Properties();
            props.load(new StringReader(config.getData().get("application.properties")));
            Map<String, String> map = new LinkedHashMap<>();
            props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
            ChartRelease release = new ChartRelease(cp, name, namespace, Map.copyOf(values), Map.copyOf(map));
            INSTALLED.put(name, release);
            return release;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart's fullname (and its ServiceAccount's): the release name when it contains the chart's name. */
    public static String fullname(String release) {
        return release.contains("mixtask-operator") ? release : release + "-mixtask-operator";
    }

    public String serviceAccount() {
        return fullname(name);
    }

    /** The namespaces the release watches (empty: all). */
    public Set<String> watchNamespaces() {
        String list = properties.getOrDefault("quarkus.operator-sdk.controllers.mixtask.namespaces", "");
        return list.isBlank() ? Set.of() : Arrays.stream(list.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    /** The release's operator configuration, plus what a test must set for this machine (e.g. the {podIP} control URL). */
    public OperatorConfig config(Map<String, String> testOverrides) {
        return OperatorHarness.config(operatorProperties(testOverrides));
    }

    /** The release's {@code mixtask.*} properties with the test's overrides, as {@link #config} reads them. */
    public Map<String, String> operatorProperties(Map<String, String> testOverrides) {
        Map<String, String> merged = new HashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith("mixtask.")) {
                merged.put(k, v);
            }
        });
        merged.putAll(testOverrides);
        return merged;
    }

    /** A client with the release's ServiceAccount's token; requests sign as {@code mixtask-operator}. */
    public KubernetesClient operatorClient() {
        return cp.clientAs(namespace, serviceAccount(), "mixtask-operator");
    }

    /** Starts an operator as this release runs it; the caller stops it and closes the client it returns with it. */
    public Running startOperator(Map<String, String> testOverrides, LeaderElectionConfiguration leaderElection) {
        KubernetesClient client = operatorClient();
        Operator operator = OperatorHarness.start(client, config(testOverrides), leaderElection, watchNamespaces());
        return new Running(operator, client);
    }

    /** An operator of this release and its client. */
    public record Running(Operator operator, KubernetesClient client) implements AutoCloseable {
        @Override
        public void close() {
            operator.stop();
            client.close();
        }
    }
}
