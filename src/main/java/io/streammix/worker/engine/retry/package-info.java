/**
 * The one reconnect schedule ({@link io.streammix.worker.engine.retry.RetrySchedule}) of network inputs: when a lost
 * connection is tried again, and when that is, for status. Network output sinks (mixed and bypassed outputs alike) do
 * not sleep through a backoff: {@link io.streammix.worker.engine.retry.SinkRetry} probes the server's port every 250 ms
 * without blocking and reopens as soon as it answers, spacing refused attempts by a short {@code RetrySchedule}.
 *
 * <p>Threads: each schedule belongs to the one thread that connects; status threads read its next attempt.
 */
package io.streammix.worker.engine.retry;
