package io.streammix.operator.startmix;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.streammix.startmix.StartMixApi;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.spec.SpecResolver;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The start-mix API of the operator: its MixTasks in the API server, its tokens from labelled Secrets in the
 * namespaces the operator watches. Built on the first request (nothing is watched while the API is off). Stateless
 * across replicas: each replica serves the API; the API server holds the tasks.
 */
@ApplicationScoped
public class StartMixService {
    private final OperatorConfig config;
    private final KubernetesClient client;
    private final SpecResolver resolver;
    private volatile StartMixApi api;
    private SecretTokens tokens;

    public StartMixService(OperatorConfig config, KubernetesClient client, SpecResolver resolver) {
        this.config = config;
        this.client = client;
        this.resolver = resolver;
    }

    public boolean enabled() {
        return config.startMix().enabled();
    }

    public StartMixApi api() {
        StartMixApi a = api;
        if (a == null) {
            synchronized (this) {
                if (api == null) {
                    tokens = new SecretTokens(client, tokenNamespaces());
                    api = new StartMixApi(tokens, new KubernetesMixTaskStore(client, resolver, config.startMix().replyWait()),
                            config.startMix().maxTasksPerToken());
                }
                a = api;
            }
        }
        return a;
    }

    /**
     * Where token Secrets are read, so where the API writes (a token's tasks go to its Secret's namespace): the API's
     * own namespaces when set (the chart grants its write verbs there only), else the operator's watched ones.
     */
    private List<String> tokenNamespaces() {
        List<String> own = config.startMix().namespaces().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        return own.isEmpty() ? watchedNamespaces(client) : own;
    }

    /** The operator's watched namespaces (quarkus-operator-sdk's setting); empty for all. */
    static List<String> watchedNamespaces(KubernetesClient client) {
        Optional<String> value = ConfigProvider.getConfig().getOptionalValue("quarkus.operator-sdk.controllers.mixtask.namespaces", String.class);
        List<String> list = value.map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        if (list.isEmpty() || list.contains("JOSDK_ALL_NAMESPACES")) {
            return List.of();
        }
        return list.stream().map(ns -> ns.equals("JOSDK_WATCH_CURRENT") ? client.getNamespace() : ns).toList();
    }

    @PreDestroy
    synchronized void close() {
        if (tokens != null) {
            tokens.close();
        }
    }
}
