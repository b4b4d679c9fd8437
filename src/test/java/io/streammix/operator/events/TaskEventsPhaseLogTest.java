package io.streammix.operator.events;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.Phase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's log says each phase change of a task once (kubectl logs is where an admin looks first). */
class TaskEventsPhaseLogTest {

    @Test
    void oneInfoLinePerPhaseChangeAndNoneWithout() {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getLevel() + " " + (r instanceof org.jboss.logmanager.ExtLogRecord e ? e.getFormattedMessage() : r.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(TaskEvents.class.getName());
        log.addHandler(capture);
        try {
            MixTask task = new MixTask();
            task.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("show").build());
            TaskEvents events = new TaskEvents(null); // no transition here records an Event
            MixTaskStatus pending = status(Phase.Pending, "WorkerPending");
            MixTaskStatus starting = status(Phase.Starting, "WorkerStarting");
            events.transitions(task, null, pending);
            events.transitions(task, pending, starting);
            events.transitions(task, starting, status(Phase.Starting, "WorkerStarting"));
            assertThat(lines).containsExactly(
                    "INFO task team-a/show: phase none -> Pending (Ready reason WorkerPending)",
                    "INFO task team-a/show: phase Pending -> Starting (Ready reason WorkerStarting)");
        } finally {
            log.removeHandler(capture);
        }
    }

    private static MixTaskStatus status(Phase phase, String readyReason) {
        MixTaskStatus s = new MixTaskStatus();
        s.phase = phase;
        s.conditions.add(new ConditionBuilder().withType("Ready").withStatus("False").withReason(readyReason)
                .withMessage("secret words a worker said").build());
        return s;
    }
}
