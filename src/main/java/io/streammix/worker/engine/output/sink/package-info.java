/**
 * Where an output goes ({@link io.streammix.worker.engine.output.sink.OutputTarget}: URL or file, container, options) and
 * where an output's packets go, each {@link io.streammix.worker.engine.output.sink.OutputSink} with its own muxer: a
 * URL or file ({@link io.streammix.worker.engine.output.sink.UrlSink}, recordings by {@link
 * io.streammix.worker.engine.output.sink.RecordingTargets} and {@link io.streammix.worker.engine.output.sink.ByteRotation}),
 * the worker's own HLS ({@link io.streammix.worker.engine.output.sink.HlsSink}) and live HTTP-FLV ({@link
 * io.streammix.worker.engine.output.sink.FlvLiveSink}); {@link io.streammix.worker.engine.output.sink.OutputSinks} picks
 * them for an output, mixed or bypassed (a bypassed output's sinks copy the input's packets: {@code Muxer.Streams}). A
 * network sink that fails is closed and reopened as soon as its server answers again ({@code retry.SinkRetry}) while
 * encoding goes on; a file sink's failure fails its output.
 *
 * <p>Threads: the owning output's thread only; {@code problem()}, {@code files()} and counters are read by status threads.
 */
package io.streammix.worker.engine.output.sink;
