/**
 * Where an output's packets go, each {@link io.streammix.worker.engine.output.sink.OutputSink} with its own muxer: a
 * URL or file ({@link io.streammix.worker.engine.output.sink.UrlSink}, recordings by {@link
 * io.streammix.worker.engine.output.sink.RecordingTargets} and {@link io.streammix.worker.engine.output.sink.ByteRotation}),
 * the worker's own HLS ({@link io.streammix.worker.engine.output.sink.HlsSink}) and live HTTP-FLV ({@link
 * io.streammix.worker.engine.output.sink.FlvLiveSink}); {@link io.streammix.worker.engine.output.sink.OutputSinks} picks
 * them for an output. A network sink that fails is closed and reopened on the {@code retry} schedule while encoding
 * goes on; a file sink's failure fails its output.
 *
 * <p>Threads: the owning output's thread only; {@code problem()}, {@code files()} and counters are read by status threads.
 */
package io.streammix.worker.engine.output.sink;
