/**
 * The one reconnect schedule ({@link io.streammix.worker.engine.retry.RetrySchedule}) of network inputs, network sinks
 * and bypass outputs: when a lost connection is tried again, and when that is, for status.
 *
 * <p>Threads: each schedule belongs to the one thread that connects; status threads read its next attempt.
 */
package io.streammix.worker.engine.retry;
