/**
 * The output clock and what it reads: {@link io.streammix.worker.engine.mix.MixClock} draws a canvas every 1/fps of
 * the mix {@link io.streammix.worker.engine.mix.Timeline} ({@link io.streammix.worker.engine.mix.Compositor}) and mixes
 * audio in fixed chunks ({@link io.streammix.worker.engine.mix.AudioMixer}), reading the current plan once per tick,
 * and hands both to every {@link io.streammix.worker.engine.mix.MixSink}. Inputs hand it their pictures and samples
 * through {@link io.streammix.worker.engine.mix.InputSlot} and {@link io.streammix.worker.engine.mix.AudioRing}: the
 * input thread only adds, the clock takes and frees, so a frame is never freed while it is drawn. At a layout change
 * the clock scales a picture made for the previous rect or render mode to the new one ({@code Rescaler}, once per input
 * per change), so the first frame of a plan already shows every input in its new place. For a ladder it also draws
 * each smaller output's canvas from the inputs' pictures made for it ({@link io.streammix.worker.engine.mix.RungCanvases},
 * handed out with the canvas as {@link io.streammix.worker.engine.mix.Canvases}) instead of the output scaling the canvas.
 *
 * <p>Threads: {@code mix-clock} (max priority) runs the clock, compositor and mixer; input threads write the slots;
 * status and metrics threads read the slots' volatile state.
 */
package io.streammix.worker.engine.mix;
