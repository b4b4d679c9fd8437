/**
 * What the engine says of itself: {@link io.streammix.worker.engine.status.OutputHealth} (an output's state, since when
 * and why, and its counters), {@link io.streammix.worker.engine.status.TaskState} (the task's state from its parts'),
 * and the plain figures a metrics scrape reads ({@link io.streammix.worker.engine.status.MixFigures}, {@link
 * io.streammix.worker.engine.status.InputFigures}, {@link io.streammix.worker.engine.status.OutputFigures}); the engine
 * knows nothing of Micrometer or Prometheus ({@code worker.metrics} does).
 *
 * <p>Threads: written by the output threads and the clock, read by the control and metrics HTTP threads.
 */
package io.streammix.worker.engine.status;
