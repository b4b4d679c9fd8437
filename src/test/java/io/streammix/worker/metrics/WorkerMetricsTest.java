package io.streammix.worker.metrics;

import io.streammix.worker.engine.status.InputFigures;
import io.streammix.worker.engine.status.MixFigures;
import io.streammix.worker.engine.status.OutputFigures;
import io.streammix.worker.engine.status.SinkFigures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The meters follow the engine's inputs and outputs from one scrape to the next (no engine, made-up figures). */
class WorkerMetricsTest {
    final AtomicReference<MixFigures> figures = new AtomicReference<>();
    final WorkerMetrics metrics = new WorkerMetrics("media", "show", figures::get);

    @Test
    void inputsAndOutputsThatGoAwayLeaveNoSeriesAndNewOnesAppear() {
        figures.set(mix(List.of(input("cam1", "Live", 100), input("cam2", "Lost", 7)), List.of(output("main", 90))));
        PrometheusScrape first = PrometheusScrape.parse(metrics.scrape());
        assertThat(first.value("mixtask_input_frames_total", "input", "cam2")).isEqualTo(7);
        assertThat(first.value("mixtask_input_state", "input", "cam2", "state", "Lost")).isEqualTo(1);
        assertThat(first.value("mixtask_input_state", "input", "cam2", "state", "Live")).isZero();

        // A live update removed cam2, added cam3 and replaced output main by backup.
        figures.set(mix(List.of(input("cam1", "Live", 130), input("cam3", "Connecting", 0)), List.of(output("backup", 5))));
        PrometheusScrape second = PrometheusScrape.parse(metrics.scrape());
        assertThat(second.samples("mixtask_input_frames_total")).extracting(m -> m.getLabels().get("input"))
                .containsExactlyInAnyOrder("cam1", "cam3");
        assertThat(second.samples("mixtask_input_state")).noneMatch(m -> "cam2".equals(m.getLabels().get("input")));
        assertThat(second.value("mixtask_input_frames_total", "input", "cam1")).isEqualTo(130);
        assertThat(second.samples("mixtask_output_frames_total")).extracting(m -> m.getLabels().get("output")).containsExactly("backup");
        assertThat(second.samples("mixtask_output_video_encode_seconds")).extracting(m -> m.getLabels().get("output"))
                .containsExactly("backup");
        assertThat(second.value("mixtask_mix_inputs")).isEqualTo(2);
    }

    @Test
    void unmeasuredValuesAreNaNNotZeroAndAnUndefinedLagIsAbsent() {
        figures.set(mix(List.of(new InputFigures("still", "Live", 1, 0, Double.NaN, 0, 0, 0, 0), input("cam", "Live", 5)),
                List.of(new OutputFigures("o", "Connecting", 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0))));
        PrometheusScrape s = PrometheusScrape.parse(metrics.scrape());
        assertThat(s.samples("mixtask_input_lag_seconds")).as("no NaN row for an input never received (or a still image)")
                .extracting(m -> m.getLabels().get("input")).containsExactly("cam");
        assertThat(metrics.scrape()).doesNotContainPattern("mixtask_input_lag_seconds\\{[^}]*still");

        // Its first media: the lag appears; lost from then on, it stays (and grows).
        figures.set(mix(List.of(new InputFigures("still", "Live", 1, 0, 0.07, 0, 0, 0, 0)), List.of()));
        assertThat(PrometheusScrape.parse(metrics.scrape()).value("mixtask_input_lag_seconds", "input", "still")).isEqualTo(0.07);
        assertThat(s.value("mixtask_output_bitrate_bits_per_second", "output", "o")).as("not measured yet").isNaN();
        assertThat(s.value("mixtask_output_target_bitrate_bits_per_second", "output", "o")).as("unknown (bypass)").isNaN();
    }

    /** Each destination of an output has its own series: a push stuck reconnecting shows 0 bit/s beside a live FLV. */
    @Test
    void eachDestinationHasItsOwnBytesBitrateStateAndAttempts() {
        OutputFigures main = output("main", 90).withSinks(List.of(new SinkFigures("push", "Reconnecting", 4_000, 0, 17),
                new SinkFigures("flv", "Live", 90_000, 800_000, 0), new SinkFigures("hls", "Live", 90_000, -1, 0)));
        figures.set(mix(List.of(), List.of(main)));
        PrometheusScrape s = PrometheusScrape.parse(metrics.scrape());
        assertThat(s.value("mixtask_output_sink_bitrate_bits_per_second", "output", "main", "sink", "push")).isZero();
        assertThat(s.value("mixtask_output_sink_bitrate_bits_per_second", "output", "main", "sink", "flv")).isEqualTo(800_000);
        assertThat(s.value("mixtask_output_sink_bitrate_bits_per_second", "output", "main", "sink", "hls")).as("not measured yet").isNaN();
        assertThat(s.value("mixtask_output_sink_bytes_total", "output", "main", "sink", "push")).isEqualTo(4_000);
        assertThat(s.value("mixtask_output_sink_state", "output", "main", "sink", "push", "state", "Reconnecting")).isEqualTo(1);
        assertThat(s.value("mixtask_output_sink_state", "output", "main", "sink", "push", "state", "Live")).isZero();
        assertThat(s.value("mixtask_output_sink_connect_attempts_total", "output", "main", "sink", "push")).isEqualTo(17);

        // The output reopened to a file: its push series go, its file series come.
        figures.set(mix(List.of(), List.of(output("main", 5).withSinks(List.of(new SinkFigures("file", "Live", 10, -1, 0))))));
        PrometheusScrape t = PrometheusScrape.parse(metrics.scrape());
        assertThat(t.samples("mixtask_output_sink_bytes_total")).extracting(m -> m.getLabels().get("sink")).containsExactly("file");
        assertThat(t.samples("mixtask_output_sink_state")).noneMatch(m -> "push".equals(m.getLabels().get("sink")));
    }

    private static MixFigures mix(List<InputFigures> in, List<OutputFigures> out) {
        return new MixFigures(10, 150, 0, 0.5, in, out);
    }

    private static InputFigures input(String name, String state, long frames) {
        return new InputFigures(name, state, frames, 0, 0.05, 0, 0, 0, 40);
    }

    private static OutputFigures output(String name, long frames) {
        return new OutputFigures(name, "Live", frames, frames * 1000, 0, 0, 0, frames * 0.003, 800_000, 928_000, 0, 0, 0, 0);
    }
}
