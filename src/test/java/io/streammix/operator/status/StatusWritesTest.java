package io.streammix.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.InputStatus;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.OutputStatus;
import io.streammix.api.v1alpha1.Phase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusWritesTest {
    static final Duration MINUTE = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    static MixTaskStatus running(long duration, double fps, long bitrate, long frames) {
        MixTaskStatus s = new MixTaskStatus();
        s.phase = Phase.Running;
        s.startTime = "2026-11-28T08:00:00Z";
        s.mixDuration = duration;
        InputStatus in = new InputStatus();
        in.name = "a";
        in.state = "Live";
        in.fps = fps;
        OutputStatus out = new OutputStatus();
        out.name = "out";
        out.state = "Live";
        out.bitrate = bitrate;
        out.frames = frames;
        s.inputs = List.of(in);
        s.outputs = List.of(out);
        return s;
    }

    @Test
    void theFirstStatusIsWritten() {
        assertThat(StatusWrites.due(null, running(0, 15, 1, 1), MINUTE)).isTrue();
    }

    @Test
    void figuresAloneWaitForTheirInterval() {
        MixTaskStatus written = running(100, 15.0, 1_000_000, 1500);
        assertThat(StatusWrites.due(written, running(100, 15.0, 1_000_000, 1500), MINUTE)).as("nothing changed").isFalse();
        assertThat(StatusWrites.due(written, running(110, 14.9, 998_000, 1650), MINUTE)).as("10 s later").isFalse();
        assertThat(StatusWrites.due(written, running(159, 15.0, 1_001_000, 3885), MINUTE)).as("59 s later").isFalse();
        assertThat(StatusWrites.due(written, running(160, 15.0, 1_001_000, 3900), MINUTE)).as("a minute later").isTrue();
    }

    @Test
    void anyOtherChangeIsWrittenAtOnce() throws Exception {
        MixTaskStatus written = running(100, 15.0, 1_000_000, 1500);
        MixTaskStatus lost = running(105, 0, 1_000_000, 1575);
        lost.inputs.get(0).state = "Lost";
        assertThat(StatusWrites.due(written, lost, MINUTE)).isTrue();
        MixTaskStatus degraded = JSON.readValue(JSON.writeValueAsBytes(running(101, 15.0, 1_000_000, 1515)), MixTaskStatus.class);
        degraded.phase = Phase.Degraded;
        assertThat(StatusWrites.due(written, degraded, MINUTE)).isTrue();
    }
}
