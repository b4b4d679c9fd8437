/**
 * Pulling inputs: {@link io.streammix.worker.engine.input.InputSource} (how a spec input is opened: URL, forced
 * format, protocol options and timeouts; {@code synthetic:} sources built by {@link
 * io.streammix.worker.engine.input.SyntheticSource} from parsed parameters only), {@link
 * io.streammix.worker.engine.input.InputWorker} (connect, demux, decode, place frames on the mix timeline {@code
 * JITTER} ahead, scale pictures into the input's rect, resample audio, hand both to the input's slot; reconnect on the
 * {@code retry} schedule) and {@link io.streammix.worker.engine.input.RunningInputs} (which inputs run, restarting only
 * those whose source changed).
 *
 * <p>Threads: one {@code input-<name>} thread per input runs its {@code InputWorker}; {@code RunningInputs} is called
 * by the engine under its lock.
 */
package io.streammix.worker.engine.input;
