package io.streammix.operator.cache;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.streammix.operator.testing.OperatorHarness;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An operator told to watch two namespaces refuses to start and says why (WatchedNamespaces): before, it started, and
 * on the real API server MixTasks that existed in either namespace got no status in 90 s (each namespace's informer
 * list removed the other's tasks from the store they share). One namespace, or all, still starts.
 */
@EnableKubernetesMockClient(crud = true)
class WatchedNamespacesTest {
    static KubernetesClient client;

    @org.junit.jupiter.api.BeforeAll
    static void crd() {
        OperatorHarness.createCrd(client);
    }

    @Test
    void twoNamespacesAreRefusedAtStartNamingTheSettingAndWhatToDoInstead() {
        assertThatThrownBy(() -> OperatorHarness.start(client, OperatorHarness.config(Map.of()), null, Set.of("team-d", "team-e")).stop())
                .satisfies(e -> assertThat(rootMessage(e))
                        .contains("watchNamespaces", "2 namespaces [team-d, team-e]", "install one release per namespace"));
    }

    @Test
    void oneNamespaceStarts() {
        Operator operator = OperatorHarness.start(client, OperatorHarness.config(Map.of()), null, Set.of("team-d"));
        try {
            assertThat(operator.getRuntimeInfo().isStarted()).isTrue();
        } finally {
            operator.stop();
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
