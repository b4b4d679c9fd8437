/**
 * The worker role: the mixer of one task, plain Java (no Quarkus, no Kubernetes API access). {@link
 * io.streammix.worker.WorkerMain} reads {@code $MIXTASK_SPEC_FILE} and {@code $MIXTASK_TOKEN_FILE} (the task's
 * Secret), starts a {@link io.streammix.worker.WorkerRuntime} (engine, control API on 8081, media port on 8080) and
 * the metrics port (9102), and on SIGTERM closes outputs (trailers written). {@link io.streammix.worker.NativeSetup}
 * must run before any bytedeco class is touched (JavaCPP's cache on the scratch volume, FFmpeg's log quiet: it can
 * quote URLs). Every port of the process (control, media, metrics, and the embedded start-mix server) is on
 * Vert.x through {@code .http}.
 *
 * <p>Not here: the work itself, in the subpackages: {@code .engine} (mixing), {@code .media} (FFmpeg wrapper), {@code
 * .control}, {@code .playback}, {@code .metrics}, {@code .recording}. The media and metrics ports are optional (a bind
 * failure is logged, the mix goes on); the control API is not.
 *
 * <p>Threads: the CLI main thread starts everything, then waits; the JVM shutdown hook thread {@code shutdown} stops
 * metrics, engine and servers. Everything else runs on the subpackages' own threads.
 */
package io.streammix.worker;
