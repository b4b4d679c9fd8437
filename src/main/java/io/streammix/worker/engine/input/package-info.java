/**
 * Pulling inputs: {@link io.streammix.worker.engine.input.InputWorker} (connect, demux, decode, place frames on the
 * mix timeline {@code Timeline.JITTER} ahead, scale pictures into the input's rect, convert audio to the mix's format
 * with {@link io.streammix.worker.engine.input.MixAudioConverter}, hand both to the input's slot, with the picture made
 * for each smaller output of a ladder by {@link io.streammix.worker.engine.input.RungPictures}; reconnect on the
 * {@code retry} schedule; a lost input's state, since when and next attempt go to its slot) and {@link
 * io.streammix.worker.engine.input.RunningInputs} (which inputs run, restarting only those whose source changed). How
 * a URL is opened is {@code source}'s.
 *
 * <p>Threads: one {@code input-<name>} thread per input runs its {@code InputWorker}; {@code RunningInputs} is called
 * by the engine under its lock.
 */
package io.streammix.worker.engine.input;
