package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.operator.worker.WorkerNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node fast failover avoids is not avoided forever. The operator on the mock API server (no controllers: the test
 * plays the ReplicaSet and the scheduler, creating the worker's pods): a silent worker on node-a, whose Lease is old,
 * is replaced and node-a avoided; while the new worker runs on node-b the avoidance stays (dropping it would roll the
 * pod); it goes when the worker's pod cannot be scheduled (node-a may be the only node left) or when the pod template
 * changes anyway. Before, it stayed until the task was deleted: a worker whose other node went down stayed Pending.
 */
@EnableKubernetesMockClient(crud = true)
class AvoidedNodeLifetimeTest {
    static final String NS = "failover";
    static KubernetesClient client;

    static FakeWorker worker;
    static Operator operator;

    @BeforeAll
    static void start() throws Exception {
        worker = new FakeWorker();
        worker.acceptAnyToken();
        OperatorHarness.createCrd(client);
        operator = OperatorHarness.start(client, OperatorHarness.config(Map.of(
                "mixtask.worker.control-url-template", worker.controlUrlTemplate(),
                "mixtask.worker.fast-failover-after", "1s",
                "mixtask.tenancy.allowed-priority-classes", "media-high", // the restart field the second test edits
                "mixtask.status-refresh-interval", "1s",
                "mixtask.status-figures-interval", "1s",
                "mixtask.media.input-url-template", "rtmp://media/live/{streamId}")));
        client.resource(new LeaseBuilder().withNewMetadata().withName("node-a").withNamespace("kube-node-lease").endMetadata()
                .withNewSpec().withHolderIdentity("node-a").withRenewTime(ZonedDateTime.now().minusMinutes(5)).endSpec().build())
                .create();
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.stop();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void theAvoidedNodeStaysWhileTheWorkerRunsElsewhereAndGoesWhenItsPodCannotBeScheduled() throws Exception {
        String hash = failedOverFromNodeA("t-sched");
        worker.forget(NS, "t-sched");
        client.pods().inNamespace(NS).withName("t-sched-b").withGracePeriod(0).delete();
        pod("t-sched", "t-sched-c", null, hash, false); // node-b gone the slow way: the new pod fits nowhere

        Deployment forgot = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> deployment("t-sched"), d -> !avoids(d));
        assertThat(forgot.getSpec().getTemplate().getSpec().getAffinity()).as("no NotIn node-a left").isNull();
    }

    @Test
    void theAvoidedNodeGoesWithTheNextChangeOfThePodTemplate() throws Exception {
        failedOverFromNodeA("t-edit");
        // The operator writes the status meanwhile (more often since a move keeps worker.previousNode): an edit may
        // conflict, and is made again on the newer task, as kubectl does.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            client.resources(MixTask.class).inNamespace(NS).withName("t-edit").edit(t -> {
                t.getSpec().worker = new io.streammix.api.v1alpha1.WorkerOverrides();
                t.getSpec().worker.priorityClassName = "media-high";
                return t;
            });
            return true;
        });

        Deployment edited = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> deployment("t-edit"), d -> "media-high".equals(d.getSpec().getTemplate().getSpec().getPriorityClassName()));
        assertThat(avoids(edited)).as("forgotten in the same rollout").isFalse();
    }

    /**
     * The task's worker on node-a, silent, is failed over; the replacement runs on node-b and several refreshes later
     * node-a is still avoided, the Deployment untouched. Returns the template's restart hash.
     */
    private String failedOverFromNodeA(String name) throws Exception {
        client.resource(Tasks.mixTask(NS, name)).create();
        Deployment first = await().atMost(Duration.ofSeconds(20)).until(() -> deployment(name), d -> d != null);
        pod(name, name + "-a", "node-a", hash(first), true);

        Deployment avoiding = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> deployment(name), this::avoids);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.pods().inNamespace(NS).withName(name + "-a").get() == null);
        pod(name, name + "-b", "node-b", hash(avoiding), true);
        worker.report(NS, name, FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(MixTask.class).inNamespace(NS).withName(name).get(),
                t -> t.getStatus() != null && t.getStatus().phase == Phase.Running);

        Thread.sleep(3000); // three refreshes of a worker running on node-b
        Deployment later = deployment(name);
        assertThat(avoids(later)).as("still avoiding node-a").isTrue();
        assertThat(later.getMetadata().getResourceVersion()).as("the running worker is not rolled")
                .isEqualTo(avoiding.getMetadata().getResourceVersion());
        return hash(avoiding);
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName("mt-" + name).get();
    }

    private boolean avoids(Deployment d) {
        return d != null && "node-a".equals(WorkerDeploymentDependent.templateAnnotations(d).get(WorkerNames.AVOID_NODE_ANNOTATION));
    }

    private static String hash(Deployment d) {
        return WorkerDeploymentDependent.templateAnnotations(d).get(WorkerNames.RESTART_HASH_ANNOTATION);
    }

    /** A pod of the worker, as its ReplicaSet and the scheduler would leave it: on {@code node}, or unschedulable. */
    private void pod(String task, String name, String node, String hash, boolean scheduled) {
        Pod pod = client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withLabels(Map.of(WorkerNames.MANAGED_BY, WorkerNames.MANAGED_BY_VALUE, WorkerNames.COMPONENT, WorkerNames.COMPONENT_VALUE))
                .withAnnotations(Map.of(WorkerNames.TASK_NAME_ANNOTATION, task, WorkerNames.TASK_NAMESPACE_ANNOTATION, NS,
                        WorkerNames.RESTART_HASH_ANNOTATION, hash))
                .endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("worker").withImage("worker").endContainer().endSpec()
                .build()).create();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(scheduled ? "Running" : "Pending")
                .addNewCondition().withType("PodScheduled").withStatus(scheduled ? "True" : "False")
                .withReason(scheduled ? null : "Unschedulable").endCondition().build());
        client.resource(pod).updateStatus();
    }
}
