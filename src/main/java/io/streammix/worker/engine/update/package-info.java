/**
 * What a new spec means for a running mix: {@link io.streammix.worker.engine.update.OutputChanges} decides per output
 * (matched by identity) whether it is kept, kept with a new bitrate, reopened, added or removed, and which outputs
 * rotated upload keys reopen; {@link io.streammix.worker.engine.update.SpecWarnings} lists what a valid spec asks for
 * that the worker does not do. Pure functions of specs; the engine calls them under its lock.
 */
package io.streammix.worker.engine.update;
