/**
 * The entry point of the one artifact: {@link io.streammix.Main} picks the role from the first argument, no
 * argument or {@code operator} for the Quarkus operator ({@link io.streammix.operator}), {@code worker} for the mixer
 * of one task ({@link io.streammix.worker.WorkerMain}, plain Java, Quarkus never boots), {@code local <file>} for the
 * no-cluster run ({@link io.streammix.local.LocalRun}).
 *
 * <p>It owns nothing but that dispatch: each role's options, environment and shutdown live in its own package. The
 * developer tools (CRD and reference generators, the start-mix converter) are not roles: they have main methods of
 * their own, run through {@code exec:java}.
 *
 * <p>Threads: the JVM's main thread, which then runs the chosen role's own main (Quarkus, the worker or the local run).
 */
package io.streammix;
