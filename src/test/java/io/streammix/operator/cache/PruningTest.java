package io.streammix.operator.cache;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the informer caches keep: everything a reconcile reads, nothing of managedFields or a pod's own spec. */
class PruningTest {

    @Test
    void storedObjectsHaveNoManagedFieldsAndKeepTheirData() {
        PrunedItemStore<Secret> store = new PrunedItemStore<>(Pruning::withoutManagedFields);
        Secret secret = new SecretBuilder().withNewMetadata().withName("mt-a").withNamespace("ns").withResourceVersion("7")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("mixtask-operator").withOperation("Update").build())
                .endMetadata().withData(Map.of("token", "dG9rZW4=")).build();

        store.put(store.getKey(secret), secret);

        Secret cached = store.get("ns/mt-a");
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getData()).containsEntry("token", "dG9rZW4=");
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aTaskLosesKubectlsLastAppliedCopyButKeepsItsOtherAnnotationsAndSpec() {
        MixTask task = Tasks.mixTask("ns", "t");
        task.getMetadata().setAnnotations(new HashMap<>(Map.of(Pruning.LAST_APPLIED, "{\"spec\":{}}", "team", "a")));

        Pruning.TaskStore store = new Pruning.TaskStore();
        store.put(store.getKey(task), task);

        MixTask pruned = store.get("ns/t");
        assertThat(pruned.getMetadata().getAnnotations()).containsOnlyKeys("team");
        assertThat(pruned.getSpec().inputs).hasSize(2);
    }

    @Test
    void aPodKeepsWhatTheStatusReadsAndNotItsSpec() {
        Pod pod = new PodBuilder().withNewMetadata().withName("mt-t-abc").withNamespace("ns")
                .withAnnotations(Map.of("streammix.io/task", "t")).withCreationTimestamp("2026-12-06T00:00:00Z")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubelet").build()).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("worker").withImage("img:1")
                .withArgs("worker", "--spec", "/etc/spec.json")
                .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("150m")).endResources().addNewEnv().withName("A").withValue("b").endEnv().endContainer()
                .addNewVolume().withName("spec").withNewSecret().withSecretName("mt-t").endSecret().endVolume().endSpec()
                .withNewStatus().withPodIP("10.0.0.5").withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("worker").withRestartCount(2).endContainerStatus().endStatus()
                .build();

        Pod kept = Pruning.pod(pod);

        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getAnnotations()).containsEntry("streammix.io/task", "t");
        assertThat(kept.getMetadata().getCreationTimestamp()).isEqualTo("2026-12-06T00:00:00Z");
        assertThat(kept.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(kept.getSpec().getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getImage()).isEqualTo("img:1");
            assertThat(c.getResources().getRequests()).as("an in-place resize compares them").containsKey("cpu");
            assertThat(c.getArgs()).isNullOrEmpty();
            assertThat(c.getEnv()).isNullOrEmpty();
        });
        assertThat(kept.getSpec().getVolumes()).isNullOrEmpty();
        assertThat(kept.getStatus().getPodIP()).isEqualTo("10.0.0.5");
        assertThat(kept.getStatus().getConditions()).singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(kept.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(2);
    }
}
