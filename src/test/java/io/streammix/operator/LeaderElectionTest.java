package io.streammix.operator;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.testing.FakeWorker;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two operator replicas as the chart runs them (leader election on a Lease): only the leader acts on a task, and
 * when it stops the other takes over the same Lease and carries on with the same worker, repeating nothing.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    static final String NS = "leader";
    static final String OPERATOR_NS = "mixtask-system";
    static final String LEASE = "mixtask-operator-leader";
    static KubernetesClient client;
    static KubernetesMockServer server;

    FakeWorker worker;
    /** The same worker as replica B sees it: a second fake, so that calls of each replica are counted apart. */
    FakeWorker workerSeenByB;
    Operator a;
    Operator b;

    @AfterEach
    void stop() {
        for (Operator o : new Operator[]{a, b}) {
            if (o != null) {
                o.stop();
            }
        }
        for (FakeWorker w : new FakeWorker[]{worker, workerSeenByB}) {
            if (w != null) {
                w.close();
            }
        }
    }

    static LeaderElectionConfiguration replica(String identity) {
        // Short periods so that the test takes seconds; never exit the JVM on losing the lease (production does).
        return new LeaderElectionConfiguration(LEASE, OPERATOR_NS, Duration.ofSeconds(5), Duration.ofSeconds(4),
                Duration.ofMillis(500), identity, null, false);
    }

    @Test
    void onlyTheLeaderReconcilesAndTheOtherReplicaTakesOverWhenItStops() throws Exception {
        worker = new FakeWorker();
        worker.expectTokens(key -> Tasks.token(client, key));
        workerSeenByB = new FakeWorker();
        workerSeenByB.expectTokens(key -> Tasks.token(client, key));
        OperatorConfig config = config(worker);
        OperatorConfig configB = config(workerSeenByB);
        OperatorHarness.createCrd(client);
        // JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which the CRUD mock cannot answer:
        // answer what the chart's Role grants (get, create, update, patch on leases; ChartOnApiServerTest checks the real thing).
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata()
                        .withNewStatus().withIncomplete(false)
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "update", "patch").endResourceRule()
                        .endStatus().build())
                .always();

        a = OperatorHarness.start(client, config, replica("replica-a"));
        await().atMost(Duration.ofSeconds(20)).until(() -> holder().filter("replica-a"::equals).isPresent());
        b = OperatorHarness.start(client, configB, replica("replica-b"));

        client.resource(Tasks.mixTask(NS, "t-leader")).create();
        worker.report(NS, "t-leader", FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        workerSeenByB.report(NS, "t-leader", FakeWorker.running(1, 5, Tasks.INPUTS, Tasks.OUTPUTS));
        MixTask running = awaitTask(t -> t.getStatus() != null && t.getStatus().phase == Phase.Running);
        Thread.sleep(1500);
        assertThat(holder()).contains("replica-a");
        assertThat(events("WorkerCreated")).hasSize(1);
        // The standby passes the readiness check quarkus-operator-sdk serves (started, no unhealthy event source):
        // otherwise a rolling update of the chart's Deployment would wait forever for a pod that cannot lead.
        assertThat(b.getRuntimeInfo().isStarted()).isTrue();
        assertThat(b.getRuntimeInfo().getRegisteredControllers())
                .allSatisfy(c -> assertThat(c.getControllerHealthInfo().unhealthyEventSources()).isEmpty());
        assertThat(worker.authorizedCalls()).as("the leader follows the worker").isPositive();
        assertThat(workerSeenByB.authorizedCalls()).as("the standby replica does nothing").isZero();

        a.stop();
        a = null;
        await().atMost(Duration.ofSeconds(20)).until(() -> holder().filter("replica-b"::equals).isPresent());
        long before = running.getStatus().mixDuration;
        MixTask carriedOn = awaitTask(t -> t.getStatus().mixDuration >= before + 3);
        assertThat(carriedOn.getStatus().phase).isEqualTo(Phase.Running);
        assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).hasSize(1);
        assertThat(events("WorkerCreated")).as("the new leader found the worker").hasSize(1);
        assertThat(events("Running")).as("and repeated no Event").hasSize(1);
        assertThat(workerSeenByB.authorizedCalls()).as("the new leader follows the worker").isPositive();
        assertThat(worker.refusedCalls() + workerSeenByB.refusedCalls()).isZero();
    }

    static OperatorConfig config(FakeWorker controlApi) {
        return OperatorHarness.config(Map.of(
                "mixtask.worker.control-url-template", controlApi.controlUrlTemplate(),
                "mixtask.status-refresh-interval", "1s",
                "mixtask.media.input-url-template", "rtmp://media/live/{streamId}"));
    }

    Optional<String> holder() {
        Lease lease = client.leases().inNamespace(OPERATOR_NS).withName(LEASE).get();
        return Optional.ofNullable(lease).map(l -> l.getSpec().getHolderIdentity());
    }

    MixTask awaitTask(Predicate<MixTask> condition) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.resources(MixTask.class).inNamespace(NS).withName("t-leader").get(),
                        t -> t != null && condition.test(t));
    }

    List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }
}
