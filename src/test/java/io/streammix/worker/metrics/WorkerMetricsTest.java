package io.streammix.worker.metrics;

import io.streammix.worker.engine.status.InputFigures;
import io.streammix.worker.engine.status.MixFigures;
import io.streammix.worker.engine.status.OutputFigures;
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
    void unmeasuredValuesAreNaNNotZero() {
        figures.set(mix(List.of(new InputFigures("still", "Live", 1, 0, Double.NaN, 0, 0, 0, 0)),
                List.of(new OutputFigures("o", "Connecting", 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0))));
        PrometheusScrape s = PrometheusScrape.parse(metrics.scrape());
        assertThat(s.value("mixtask_input_lag_seconds", "input", "still")).isNaN();
        assertThat(s.value("mixtask_output_bitrate_bits_per_second", "output", "o")).as("not measured yet").isNaN();
        assertThat(s.value("mixtask_output_target_bitrate_bits_per_second", "output", "o")).as("unknown (bypass)").isNaN();
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
