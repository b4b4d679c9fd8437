/**
 * The worker's control API, and the contract between the two roles: {@link io.streammix.worker.control.ControlApi}
 * (paths, ports, environment, URL schemes), {@link io.streammix.worker.control.SpecSubmission} (body of {@code PUT
 * /spec} and content of {@code spec.json}), {@link io.streammix.worker.control.WorkerReport} ({@code GET /status}),
 * served by {@link io.streammix.worker.control.ControlServer} on the JDK's HTTP server with {@link
 * io.streammix.worker.control.BearerAuth} (constant-time token check). Health endpoints answer up/down without the
 * token; everything else needs it.
 *
 * <p>Not here: what a request does (a {@code ControlServer.Backend}, wired to {@code MixEngine} by {@link
 * io.streammix.worker.WorkerRuntime}), the operator's client ({@code io.streammix.operator.worker.WorkerClient}) and
 * metrics (own port, {@code .metrics}). The operator uses these classes too: change them on both sides at once.
 * Holds credentials: a submission carries resolved URLs and S3 keys; never log it.
 *
 * <p>Threads: the server's fixed pool of two daemon threads named {@code control-api}; {@code PUT /spec} runs {@code
 * MixEngine.apply} on one of them.
 */
package io.streammix.worker.control;
