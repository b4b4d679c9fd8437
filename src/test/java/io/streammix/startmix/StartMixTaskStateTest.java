package io.streammix.startmix;

import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.MixTaskStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What a reply says of a stored task: its mix_duration now (not the status figure written up to a minute ago), its seq. */
class StartMixTaskStateTest {

    @Test
    void mixDurationCountsFromStartTimeNotFromTheLastWrittenFigure() {
        MixTask task = new MixTask();
        task.setSpec(new MixTaskSpec());
        task.setStatus(new MixTaskStatus());
        task.getStatus().mixDuration = 13L; // written 3 s ago: the figures are written every statusFiguresInterval
        task.getStatus().startTime = Instant.now().minusSeconds(16).toString();
        assertThat(StartMixTaskState.mixDuration(task)).isBetween(16L, 17L);
        task.getStatus().startTime = null;
        assertThat(StartMixTaskState.mixDuration(task)).as("no startTime: the figure").isEqualTo(13L);
        task.setStatus(null);
        assertThat(StartMixTaskState.mixDuration(task)).isNull();
    }

    @Test
    void lastSeqIsTheHigherOfWrittenAndApplied() {
        MixTask task = new MixTask();
        task.setSpec(new MixTaskSpec());
        task.getSpec().seq = 3L;
        assertThat(StartMixTaskState.lastSeq(task)).isEqualTo(3L);
        task.setStatus(new MixTaskStatus());
        task.getStatus().appliedSeq = 5L;
        assertThat(StartMixTaskState.lastSeq(task)).isEqualTo(5L);
    }
}
