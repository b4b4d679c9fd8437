/**
 * The operator's settings: {@link io.streammix.operator.config.OperatorConfig} maps {@code mixtask.*} (properties or
 * {@code MIXTASK_*} environment variables: fps cap, refresh and status-figures intervals, worker pod defaults and
 * control-API timeouts and retries, media URL templates, network policy, leader election Lease), {@link
 * io.streammix.operator.config.UrlTemplate} expands their {@code {placeholder}} URL templates (an unknown placeholder
 * is a configuration error), and {@link io.streammix.operator.config.LeaderElectionProducer} names the Lease.
 *
 * <p>Not here: the {@code quarkus.operator-sdk.*} settings (watched namespaces, reconcile threads, the profiles with
 * leader election), which quarkus-operator-sdk reads itself from {@code application.properties}; the chart's values
 * that set both.
 *
 * <p>Threads: the mapping is built by Quarkus at start-up and read, immutable, from every reconcile thread.
 */
package io.streammix.operator.config;
