/**
 * The start-mix API without a cluster (the README's {@code exec:java@start-mix-api}, the image's {@code start-mix-api}
 * role): {@link io.streammix.startmix.embedded.StartMixServer} (options, tokens, lifecycle) serves the same
 * {@link io.streammix.startmix.StartMixApi} as the operator over {@code StartMixHttp}, its HTTP transport on the
 * worker's Vert.x stack (header, request and idle deadlines, connection caps); {@code EmbeddedMixTaskStore} mixes each
 * task in this process with the worker's engine (stream ids pulled from a local RTMP server by default) and plays its
 * outputs on one media port; {@code EmbeddedNotes} says in the reply what a task will do that the request does not
 * show (inputs that wait for a publisher, no RTMP play address, an image over 5 MB).
 *
 * <p>Threads: the Vert.x event loop of {@code StartMixHttp} reads requests and writes replies; its bounded
 * {@code start-mix-http} pool runs the API (engine starts and stops); each engine runs its own threads as in a pod;
 * {@code main} waits for Ctrl-C, and the shutdown hook {@code start-mix-api-stop} stops every task.
 */
package io.streammix.startmix.embedded;
