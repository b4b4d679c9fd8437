/**
 * The no-cluster local run (the README's first command): {@link io.streammix.local.LocalRun} reads a MixTask file and
 * the Secrets beside it ({@code LocalTaskFile}), validates it, resolves stream ids and {@code urlFrom} as the
 * operator would ({@code LocalResolver}, reusing the operator's template and Secret code), and runs the worker's
 * engine, control API, media port and optional metrics port on 127.0.0.1, printing play URLs and progress.
 *
 * <p>{@code LocalResolver} and {@code LocalTaskFile} also serve the embedded start-mix server
 * ({@code io.streammix.startmix.embedded}), which mixes each task the same way.
 *
 * <p>Not here: the mixing, control and playback code (all the worker's, unchanged: {@link
 * io.streammix.worker.WorkerRuntime}) and the pod role ({@link io.streammix.worker.WorkerMain}). Secret values are
 * never printed; the control token is, but it is random per run.
 *
 * <p>Threads: the CLI main thread (role {@code local} of {@link io.streammix.Main}, or {@code exec:java}) parses,
 * starts and then prints progress every 5 s until {@code --duration} ends; Ctrl-C stops on the JVM shutdown hook
 * thread {@code local-run-stop}; the engine and its servers run on their own threads as in a pod.
 */
package io.streammix.local;
