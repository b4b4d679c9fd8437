/**
 * The vendor's start-mix API, in one place: its wire format, its mapping to a MixTask and its semantics. {@link io.streammix.startmix.StartMixConverter} turns a start-mix
 * request (read leniently by {@code StartMixFields}: keys in any case, with or without underscores) into a MixTask,
 * reporting what it drops and failing with a {@link io.streammix.startmix.StartMixException} naming the vendor field;
 * {@link io.streammix.startmix.StartMixCommand} is its CLI (request JSON in, MixTask YAML out for {@code kubectl
 * apply}); {@link io.streammix.startmix.StartMixResponse} builds the vendor's response from a MixTask's status.
 *
 * {@link io.streammix.startmix.StartMixBody} reads a body (also the document's annotated example);
 * {@link io.streammix.startmix.StartMixApi} is the HTTP API without its transport (the operator's REST resource and the
 * embedded server are thin adapters over it), its semantics (identity, seq, serialisation, stop) written there;
 * {@code StartMixTenancy} decides who may act on a task (the owner each task records: task id, appid, token digest)
 * and caps tasks per token; {@code StartMixTaskMetadata} writes that record on each MixTask.
 *
 * <p>Its transports are thin adapters over {@code StartMixApi}: the embedded server ({@code .embedded}, no cluster,
 * each task mixed in-process) and the operator's Quarkus REST resource ({@code io.streammix.operator.startmix}, whose
 * tasks are MixTasks in the API server).
 *
 * <p>Not here: the HTTP transports, range checks (left to {@link io.streammix.api.validation.SpecValidator}, which the command runs
 * before printing), and the field mapping's rationale ({@code docs/start-mix-mapping.md}).
 *
 * <p>Threads: the CLI's main thread ({@code ./mvnw -q compile exec:java@start-mix}); each {@code convert} call
 * builds its own converter, so nothing is shared. {@code StartMixApi} runs on the request threads of its transport
 * (the operator's Quarkus REST workers, the embedded server's pool); its locks (per id_name, per token for creations)
 * are its only shared state.
 */
package io.streammix.startmix;
