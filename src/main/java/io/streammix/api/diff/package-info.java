/**
 * The classified differences between two specs: {@link io.streammix.api.diff.SpecDiff#between} lists each
 * {@link io.streammix.api.diff.FieldChange} (path, kind, {@link io.streammix.api.ChangeClass}), printed as Events
 * show it ({@code inputs[1].rect: live}). Inputs and outputs are matched by identity (name, else streamId, else url,
 * else position); rects, Secret references and worker overrides compare as a whole; an output's bitrate is the one
 * value-dependent class (live for H.264, output restart for H.265).
 *
 * <p>Not here: acting on the differences. The operator's reconciler announces them ({@code SpecChanged} Events); the
 * worker's {@code io.streammix.worker.engine.update.OutputChanges} reuses {@link io.streammix.api.diff.SpecDiff#identity} and
 * {@link io.streammix.api.diff.SpecDiff#codecOf} to decide which outputs to keep, reconfigure or reopen.
 *
 * <p>Threads: stateless static code, called from the operator's JOSDK reconcile threads and, in the worker, from
 * {@code MixEngine.apply} (a control-API HTTP thread, under the engine's lock). Specs compared here are already
 * resolved: they may hold stream keys, so never log them, only the paths.
 */
package io.streammix.api.diff;
