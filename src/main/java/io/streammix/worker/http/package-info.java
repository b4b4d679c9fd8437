/**
 * The worker's one HTTP stack, shared by the control API ({@code worker.control}), the media port ({@code
 * worker.playback}) and the metrics port ({@code worker.metrics}): {@link io.streammix.worker.http.WorkerHttp} runs
 * one Vert.x event loop per server, which accepts connections and parses requests, so a client that sends slowly
 * holds no thread; {@link io.streammix.worker.http.ConnectionGuard} caps connections (in all and per client address),
 * closes those that do not finish their request in time, and when the cap is full makes room for a new connection by
 * closing the one that has waited longest for a request, so that probes and scrapes are never kept out by idle or
 * half-sent connections. {@link io.streammix.worker.http.HttpLimits} says how much of each a port allows.
 *
 * <p>To put another server on it: {@code new WorkerHttp(name, host, port, limits, handler)}; the handler runs on the
 * event loop and must not block (answer at once, or hand the work to a {@code WorkerHttp.boundedPool}); a response
 * that streams without end calls {@code guard().streaming(req)}.
 *
 * <p>Threads: each server's event loop runs the guard's handlers and deadline timers; handlers that block (engine
 * calls, file reads, HTTP-FLV streams, scrapes) run on small bounded executors of their server, never on the loop.
 */
package io.streammix.worker.http;
