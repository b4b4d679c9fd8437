package io.streammix.operator.startmix;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.streammix.startmix.StartMixTokens;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The start-mix tokens of the cluster: Secrets labelled {@code streammix.io/start-mix-token: "true"} in the namespaces
 * the operator watches, followed by informers (a new or rotated token works within a watch event, a deleted one stops
 * working). Each token is bound to its Secret's namespace. Logs name Secrets, never a token.
 */
public final class SecretTokens implements StartMixTokens, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SecretTokens.class);

    private final List<SharedIndexInformer<Secret>> informers = new ArrayList<>();
    private volatile Table table = new Table(java.util.Map.of());

    /** @param namespaces the namespaces to read tokens from; empty: all */
    public SecretTokens(KubernetesClient client, List<String> namespaces) {
        ResourceEventHandler<Secret> refresh = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret s) {
                rebuild();
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
                rebuild();
            }

            @Override
            public void onDelete(Secret s, boolean unknownFinalState) {
                rebuild();
            }
        };
        if (namespaces.isEmpty()) {
            informers.add(client.secrets().inAnyNamespace().withLabel(LABEL, "true").inform(refresh));
        } else {
            for (String ns : namespaces) {
                informers.add(client.secrets().inNamespace(ns).withLabel(LABEL, "true").inform(refresh));
            }
        }
        rebuild();
        LOG.infof("start-mix API: %d access token(s) from Secrets labelled %s=true in %s", table.size(), LABEL,
                namespaces.isEmpty() ? "all namespaces" : String.join(", ", namespaces));
    }

    private synchronized void rebuild() {
        List<Secret> all = new ArrayList<>();
        informers.forEach(i -> all.addAll(i.getStore().list()));
        table = Table.ofSecrets(all, null);
    }

    @Override
    public Optional<Binding> find(String presented) {
        return table.find(presented);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
