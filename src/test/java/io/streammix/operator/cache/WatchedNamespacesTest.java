package io.streammix.operator.cache;

import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.streammix.api.v1alpha1.MixTask;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several watched namespaces: no store of ours, which JOSDK would give every per-namespace informer (the whole
 * behaviour on a real API server: {@code operator.SeveralNamespacesOnApiServerTest}); one namespace or all: ours.
 */
class WatchedNamespacesTest {

    @Test
    void severalNamespacesGetNoSharedStoreOneOrAllGetOurs() {
        assertThat(WatchedNamespaces.storeFor(Set.of("team-d", "team-e"), Pruning.TaskStore::new)).isNull();
        assertThat(WatchedNamespaces.storeFor(Set.of("team-d"), Pruning.TaskStore::new)).isInstanceOf(Pruning.TaskStore.class);
        assertThat(WatchedNamespaces.storeFor(Set.of(""), Pruning.TaskStore::new)).isInstanceOf(Pruning.TaskStore.class);
    }

    @Test
    void theStoreOfABuiltConfigurationIsTakenOut() {
        InformerConfiguration<MixTask> config = InformerConfiguration.builder(MixTask.class)
                .withItemStore(new BasicItemStore<>(Cache::metaNamespaceKeyFunc)).build();
        WatchedNamespaces.dropStore(config);
        assertThat(config.getItemStore()).isNull();
    }
}
