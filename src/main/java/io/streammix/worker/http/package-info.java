/**
 * The worker's HTTP plumbing, shared by the control API ({@code worker.control}) and the media port
 * ({@code worker.playback}): one Vert.x event loop per server accepts connections and parses requests, so a client
 * that sends slowly holds no thread; {@link io.streammix.worker.http.ConnectionGuard} caps connections (in all and per
 * client address) and closes those that do not finish their request in time. Handlers that block (engine calls, file
 * reads, HTTP-FLV streams) run on small bounded executors of their server, never on the event loop.
 */
package io.streammix.worker.http;
