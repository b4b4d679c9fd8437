/**
 * Encoding an output: {@link io.streammix.worker.engine.output.OutputWorker} takes the clock's canvases (by reference)
 * and mixed audio through a bounded queue that drops the newest item when full, encodes once (video scaled to the
 * output's size by {@link io.streammix.worker.engine.output.OutputPicture} into one reused picture, keyframes and SEI by
 * {@code sei.SeiStamper}, a live bitrate change by {@link
 * io.streammix.worker.engine.output.LiveBitrate}) and writes every packet to each of its sinks. {@link
 * io.streammix.worker.engine.output.OutputCodecs} opens the encoders and checks what each container holds; where an output goes and in
 * which container is {@code sink.OutputTarget}. The mixed audio is encoded once per distinct audio setting, not once
 * per output: {@link io.streammix.worker.engine.output.SharedAudioEncodes} keeps one
 * {@link io.streammix.worker.engine.output.SharedAudioEncode} (framed by {@link io.streammix.worker.engine.output.AudioFramer})
 * for the outputs whose AAC is encoded the same way; each output feeds it the chunks it takes from its queue and gets
 * the packets back in its queue, by reference ({@link io.streammix.worker.engine.output.AudioSubscriber}).
 *
 * <p>Threads: one {@code output-<name>} thread per output, one {@code audio-<codec>-<bitrate>-<channels>} thread per
 * audio encoder; the clock thread only offers; the control thread asks for a
 * bitrate or a stop; short-lived {@code stop-<name>} threads stop outputs side by side.
 */
package io.streammix.worker.engine.output;
