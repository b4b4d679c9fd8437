/**
 * Encoding an output: {@link io.streammix.worker.engine.output.OutputWorker} takes the clock's canvases (by reference)
 * and mixed audio through a bounded queue that drops the newest item when full, encodes once (video scaled to the
 * output's size by {@link io.streammix.worker.engine.output.OutputPicture} into one reused picture, keyframes and SEI by
 * {@code sei.SeiStamper}, audio framed by {@link
 * io.streammix.worker.engine.output.AudioFramer}, a live bitrate change by {@link
 * io.streammix.worker.engine.output.LiveBitrate}) and writes every packet to each of its sinks. {@link
 * io.streammix.worker.engine.output.OutputCodecs} opens the encoders and checks what each container holds; where an output goes and in
 * which container is {@code sink.OutputTarget}.
 *
 * <p>Threads: one {@code output-<name>} thread per output; the clock thread only offers; the control thread asks for a
 * bitrate or a stop; short-lived {@code stop-<name>} threads stop outputs side by side.
 */
package io.streammix.worker.engine.output;
