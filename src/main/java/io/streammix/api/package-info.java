/**
 * The change classes of the API: {@link io.streammix.api.SpecChange} on every spec field of the model declares what
 * changing it costs a running task, as a {@link io.streammix.api.ChangeClass} (live, output restart, worker restart,
 * in that order of disruption). A field without it counts as a worker restart, so forgetting it is safe.
 *
 * <p>Not here: the model itself ({@link io.streammix.api.v1alpha1}), the comparison of two specs that reads these
 * annotations ({@link io.streammix.api.diff}), and the pod template's restart hash that also reads them
 * ({@code io.streammix.operator.dependent.WorkerPodTemplate}).
 *
 * <p>Threads: none of its own; plain annotation and enum, read by reflection from whatever thread compares specs.
 * Changing a field's class means changing its CRD description ("Changes live." ...) and regenerating the CRD and
 * {@code docs/reference.md} too.
 */
package io.streammix.api;
