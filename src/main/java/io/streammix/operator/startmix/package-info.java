/**
 * The start-mix-compatible HTTP API as the operator serves it: {@link
 * io.streammix.operator.startmix.StartMixResource} ({@code POST /cgi/start-mix} and {@code /cgi/stop-mix} on the main
 * HTTP port), {@link io.streammix.operator.startmix.StartMixService} (wires the request handling of {@code
 * io.streammix.startmix.StartMixApi} to the cluster), {@link io.streammix.operator.startmix.KubernetesMixTaskStore}
 * (the resulting MixTasks, written through the operator's fabric8 client and checked as the operator checks any spec)
 * and {@link io.streammix.operator.startmix.SecretTokens} (callers' tokens from labelled Secrets, each bound to its
 * Secret's namespace, followed by informers). Stateless: any operator replica answers, leader or not.
 *
 * <p>Threads: Quarkus REST worker threads run requests; the Secret informers' threads update the tokens. Tokens are
 * never logged: logs name Secrets.
 */
package io.streammix.operator.startmix;
