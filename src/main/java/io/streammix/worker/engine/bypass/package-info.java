/**
 * Bypass ({@code spec.bypass} with one input): {@link io.streammix.worker.engine.bypass.BypassRelay} reads the input
 * and hands its packets by reference to every {@link io.streammix.worker.engine.bypass.BypassOutput}, which remuxes
 * them without decoding; {@link io.streammix.worker.engine.bypass.BypassSession} holds one connection's stream
 * parameters, so an output knows when a reconnected input can go on in the same file or stream.
 *
 * <p>Threads: {@code bypass-input-<name>} reads; one {@code bypass-output-<name>} per output writes.
 */
package io.streammix.worker.engine.bypass;
