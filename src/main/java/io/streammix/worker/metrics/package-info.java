/**
 * The worker's Prometheus metrics: {@link io.streammix.worker.metrics.WorkerMetrics} turns the engine's figures
 * ({@link io.streammix.worker.engine.status.MixFigures}) into Micrometer meters in a Prometheus registry, labelled with the
 * task's namespace and name and the input or output name (never a URL or key); {@link
 * io.streammix.worker.metrics.MetricsServer} serves them on a port of their own ({@code 9102}, {@code /metrics})
 * without the control token, read-only, so any Prometheus the NetworkPolicy admits may scrape it; the port is on the
 * worker's Vert.x HTTP stack ({@code worker.http}), whose connection guard keeps slow or idle clients from stopping
 * the scrapes.
 *
 * <p>Threads: nothing here runs on the media threads. The engine's threads only bump plain counters; a scrape, on
 * the metrics server's single scrape thread ({@code metrics}; requests are parsed on its event loop), reads them all at once and (re)binds meters for the inputs and outputs
 * that exist at that moment.
 */
package io.streammix.worker.metrics;
