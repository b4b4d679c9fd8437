package io.streammix.operator.sizing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.events.TaskEvents;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the cluster refuses an in-place resize, the worker is restarted for its new size only if the task accepts it
 * (annotation {@code streammix.io/resize: restart}), with a restart token derived from the figures.
 */
@EnableKubernetesMockClient
class WorkerResizerTest {
    KubernetesMockServer server;
    KubernetesClient client;

    static Pod runningPod() {
        return new PodBuilder().withNewMetadata().withName("mt-t-abc").withNamespace("ns").withUid("u1").endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("worker").withNewResources()
                .addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("768Mi"))
                .addToLimits("cpu", new Quantity("2")).addToLimits("memory", new Quantity("1536Mi"))
                .endResources().endContainer().endSpec().build();
    }

    WorkerResizer resizer() {
        return new WorkerResizer(new WorkerSizing(OperatorHarness.config(Map.of())), new TaskEvents(client));
    }

    @Test
    void aRefusedResizeRestartsOnlyATaskThatAcceptsIt() {
        server.expect().patch().withPath("/api/v1/namespaces/ns/pods/mt-t-abc/resize")
                .andReturn(404, new StatusBuilder().withCode(404).build()).always();
        MixTask task = Tasks.mixTask("ns", "t");
        assertThat(resizer().follow(task, client, Optional.of(runningPod()), "worker")).as("not accepted: reported only").isEmpty();

        task.getMetadata().setAnnotations(Map.of(WorkerResizer.RESIZE_ANNOTATION, WorkerResizer.RESTART));
        Optional<String> token = resizer().follow(task, client, Optional.of(runningPod()), "worker");
        assertThat(token).hasValueSatisfying(t -> assertThat(t).startsWith("resize-"));
        assertThat(resizer().follow(task, client, Optional.of(runningPod()), "worker")).as("the same figures, the same token")
                .isEqualTo(token);
    }

    @Test
    void aTaskWithItsOwnResourcesIsNeverResized() {
        MixTask task = Tasks.mixTask("ns", "t");
        task.getSpec().worker = new io.streammix.api.v1alpha1.WorkerOverrides();
        task.getSpec().worker.resources = runningPod().getSpec().getContainers().get(0).getResources();
        assertThat(resizer().follow(task, client, Optional.of(runningPod()), "worker")).isEmpty();
        assertThat(server.getRequestCount()).isZero();
    }
}
