package io.streammix.worker.engine.mix;

import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.input.InputWorker;
import io.streammix.worker.engine.retry.RetrySchedule;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A lost input's hold, retry schedule and status fields, without media. */
class InputSlotLossTest {
    @Test
    void theHoldCountsFromTheLastPictureOrTheLossWhicheverIsLater() {
        InputSlot slot = new InputSlot("cam");
        slot.live();
        slot.offer(new InputSlot.Picture(io.streammix.worker.media.Frames.video(2, 2, 0), 10.2, InputSlot.Made.unscaled(2, 2)));
        slot.lost("cam: the stream ended", 10.0); // found before its last picture was due: the hold starts at that picture
        assertThat(slot.holding(11.1, 1.0)).isTrue();
        assertThat(slot.holding(11.2, 1.0)).isFalse();
        assertThat(slot.holding(10.5, 0)).as("hold 0: the loss display at once once the last picture is past").isFalse();
        // A later failure of a retry keeps the first loss's hold and lostSince.
        WorkerReport.Input first = slot.report();
        slot.lost("cam: cannot open: Connection refused", 12.0);
        assertThat(slot.holding(11.1, 1.0)).isTrue();
        assertThat(slot.report().lostSince()).isEqualTo(first.lostSince());
        slot.clearPictures();

        InputSlot late = new InputSlot("late");
        late.live();
        late.offer(new InputSlot.Picture(io.streammix.worker.media.Frames.video(2, 2, 0), 5.0, InputSlot.Made.unscaled(2, 2)));
        late.lost("late: read failed: timed out after 2500 ms", 7.5); // found by the timeout: counted from the loss
        assertThat(late.holding(8.4, 1.0)).isTrue();
        assertThat(late.holding(8.5, 1.0)).isFalse();
        late.clearPictures();
    }

    @Test
    void aLostInputReportsWhenItWasLostItsNextAttemptAndItsAttemptsUntilItIsBack() {
        InputSlot slot = new InputSlot("cam");
        slot.live();
        assertThat(slot.report().lostSince()).isNull();
        slot.lost("cam: the stream ended", 3.0);
        Instant next = Instant.now().plusMillis(250);
        slot.nextAttempt(next);
        slot.attempt();
        slot.attempt();
        WorkerReport.Input r = slot.report();
        assertThat(r.state()).isEqualTo(WorkerReport.Input.LOST);
        assertThat(r.lostSince()).isNotNull();
        assertThat(r.nextAttemptAt()).isEqualTo(next.toString());
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(slot.isLost()).isTrue();
        slot.live();
        WorkerReport.Input back = slot.report();
        assertThat(back.lostSince()).isNull();
        assertThat(back.nextAttemptAt()).isNull();
        assertThat(back.attempts()).isNull();
        assertThat(slot.holding(3.5, 1.0)).as("a live input holds nothing").isFalse();
    }

    @Test
    void inputRetriesStartFastAndBackOffToTwoSeconds() {
        RetrySchedule inputs = new RetrySchedule(InputWorker.FIRST_RETRY_MS, InputWorker.MAX_RETRY_MS);
        assertThat(java.util.stream.IntStream.range(0, 6).mapToLong(i -> inputs.failed()).boxed().toList())
                .containsExactly(250L, 500L, 1000L, 2000L, 2000L, 2000L);
    }
}
