/**
 * The worker's control API, whose contract with the operator ({@code ControlApi}, {@code SpecSubmission}, {@code
 * WorkerReport}) lives in {@code worker.contract}, served by {@link io.streammix.worker.control.ControlServer} on the JDK's HTTP server with {@link
 * io.streammix.worker.control.BearerAuth} (constant-time token check). Health endpoints answer up/down without the
 * token; everything else needs it.
 *
 * <p>Not here: what a request does (a {@code ControlServer.Backend}, wired to {@code MixEngine} by {@link
 * io.streammix.worker.WorkerRuntime}), the operator's client ({@code io.streammix.operator.worker.WorkerClient}) and
 * metrics (own port, {@code .metrics}). Holds credentials: a
 * submission carries resolved URLs and S3 keys; never log it.
 *
 * <p>Threads: the server's fixed pool of two daemon threads named {@code control-api}; {@code PUT /spec} runs {@code
 * MixEngine.apply} on one of them.
 */
package io.streammix.worker.control;
