/**
 * The mixer of one task: {@link io.streammix.worker.engine.MixEngine} runs the inputs ({@code InputWorker}: demux,
 * decode, place on the mix {@link io.streammix.worker.engine.Timeline}, scale into the rect, resample to 48 kHz), the
 * output clock ({@code MixClock}: {@code Compositor} and {@code AudioMixer} per tick, from the current immutable {@link
 * io.streammix.worker.engine.MixPlan}) and the outputs ({@code OutputWorker}: bounded queue that drops the newest item
 * when full, encode once, write to every {@code OutputSink}). {@code apply} swaps the plan between two ticks and
 * touches only changed inputs and outputs ({@code OutputChanges}); bypass ({@code BypassRelay}) remuxes one input.
 *
 * <p>Not here: FFmpeg calls ({@code .media}), serving published streams ({@code .playback}), finished recording files
 * and uploads ({@code .recording}), HTTP ({@code .control}). URLs in {@code InputSource} and {@code OutputTarget} may
 * hold keys: log their {@code safeName} only. AVFrames are native memory: whoever takes one frees it.
 *
 * <p>Threads: {@code input-<name>} per input, {@code mix-clock} (max priority), {@code output-<name>} per output; in
 * bypass {@code bypass-input-<name>} and {@code bypass-output-<name>}; short-lived {@code stop-<name>} while outputs
 * close. {@code apply} runs on a {@code control-api} thread under the engine's lock; {@code report()} and {@code
 * figures()} are read from the control and metrics HTTP threads.
 */
package io.streammix.worker.engine;
