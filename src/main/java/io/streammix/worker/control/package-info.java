/**
 * The worker's control API, whose contract with the operator ({@code ControlApi}, {@code SpecSubmission}, {@code
 * WorkerReport}) lives in {@code worker.contract}, served by {@link io.streammix.worker.control.ControlServer} on the worker's Vert.x HTTP stack ({@code
 * worker.http}) with {@link io.streammix.worker.control.BearerAuth} (constant-time token check). Health endpoints answer up/down without the
 * token; everything else needs it.
 *
 * <p>Not here: what a request does (a {@code ControlServer.Backend}, wired to {@code MixEngine} by {@link
 * io.streammix.worker.WorkerRuntime}), the operator's client ({@code io.streammix.operator.worker.WorkerClient}) and
 * metrics (own port, {@code .metrics}). Holds credentials: a
 * submission carries resolved URLs and S3 keys; never log it.
 *
 * <p>Threads: the server's Vert.x event loop parses requests and answers the health checks; a bounded pool of two
 * daemon threads named {@code control-api} runs the authenticated calls ({@code PUT /spec} runs {@code MixEngine.apply}
 * on one of them).
 */
package io.streammix.worker.control;
