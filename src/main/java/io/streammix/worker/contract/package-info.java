/**
 * The contract between the operator and the worker, used on both sides: {@link
 * io.streammix.worker.contract.ControlApi} (paths, ports, environment, Secret keys), {@link
 * io.streammix.worker.contract.SpecSubmission} (body of {@code PUT /spec} and content of {@code spec.json}) and {@link
 * io.streammix.worker.contract.WorkerReport} ({@code GET /status}). Change them on both sides at once. A submission
 * carries resolved URLs and S3 keys: never log it. Plain values, no threads of their own.
 */
package io.streammix.worker.contract;
