package io.streammix.worker.engine.status;

import java.util.List;

/**
 * The mix as a whole and each of its inputs and outputs, read at once for a metrics scrape
 * ({@code MixEngine.figures()}). Plain values: the engine knows nothing of Micrometer.
 *
 * @param mixSeconds          seconds on the mix timeline (media seconds produced)
 * @param ticks               video ticks rendered
 * @param skippedTicks        ticks skipped because the clock was more than 1 s behind (CPU starvation)
 * @param tickLatenessSeconds summed over the rendered ticks: how long after its time each was rendered
 */
public record MixFigures(double mixSeconds, long ticks, long skippedTicks, double tickLatenessSeconds,
                         List<InputFigures> inputs, List<OutputFigures> outputs) {
}
