package io.streammix.operator.events;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.operator.status.Observation;
import io.streammix.operator.status.StatusBuilder;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker that moves to another node is one Event WorkerMoved, even when a status was written in between that shows
 * the replacement pod before it has a node (a fast failover: old pod deleted, new one created, then scheduled). Before
 * issue 24's third pass that intermediate status lost the old node and the move went unreported.
 */
class TaskEventsWorkerMovedTest {
    private final List<String> events = new ArrayList<>();
    private final TaskEvents recorder = new TaskEvents(null) {
        @Override
        void emit(MixTask task, String type, String reason, String message) {
            events.add(reason + ": " + message);
        }
    };
    private final MixTask task = Tasks.mixTask("ns", "a");

    @Test
    void aMoveThroughAnUnscheduledReplacementIsOneWorkerMoved() {
        MixTaskStatus onA = write(null, pod("mt-a-1", "node-a"));
        MixTaskStatus unscheduled = write(onA, pod("mt-a-2", null));
        assertThat(unscheduled.worker.node).isNull();
        assertThat(unscheduled.worker.previousNode).isEqualTo("node-a");
        MixTaskStatus stillUnscheduled = write(unscheduled, pod("mt-a-2", null));
        assertThat(stillUnscheduled.worker.previousNode).as("kept over several writes").isEqualTo("node-a");
        MixTaskStatus onB = write(stillUnscheduled, pod("mt-a-2", "node-b"));
        assertThat(onB.worker.previousNode).as("dropped once the pod has its node").isNull();
        write(onB, pod("mt-a-2", "node-b"));
        assertThat(moves()).containsExactly("WorkerMoved: The worker moved from node node-a to node node-b (pod mt-a-2)");
    }

    @Test
    void aReplacementOnTheSameNodeIsNoMove() {
        MixTaskStatus onA = write(null, pod("mt-a-1", "node-a"));
        MixTaskStatus unscheduled = write(onA, pod("mt-a-2", null));
        write(unscheduled, pod("mt-a-2", "node-a"));
        assertThat(moves()).isEmpty();
    }

    private List<String> moves() {
        return events.stream().filter(e -> e.startsWith("WorkerMoved")).toList();
    }

    /** One reconcile: the status built from what was seen, and the Events between the last written one and it. */
    private MixTaskStatus write(MixTaskStatus before, Pod pod) {
        Observation seen = new Observation(Optional.empty(), Optional.empty(), true, Optional.of(pod), Optional.empty(),
                "refused", Instant.now());
        MixTaskStatus after = StatusBuilder.build(task, before, seen);
        recorder.transitions(task, before, after);
        return after;
    }

    private static Pod pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("worker").withImage("img").endContainer().endSpec()
                .build();
    }
}
