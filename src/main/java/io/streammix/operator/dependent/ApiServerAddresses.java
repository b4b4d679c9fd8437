package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * The API server's own addresses, as /32 and /128 blocks, from the endpoints of the {@code kubernetes} Service in
 * {@code default}: what a pod reaches behind that Service's cluster IP (network policies see the address after
 * kube-proxy's translation). Read at most once a minute and kept, so a reconcile does not cost an API call; they move
 * only when the control plane does. Without permission or object (a cluster that publishes none), none: the policy
 * then denies link-local blocks and what the configuration lists.
 *
 * <p>Called from reconcile threads; the cache is swapped whole under the object's lock.
 */
final class ApiServerAddresses {
    private static final Logger LOG = Logger.getLogger(ApiServerAddresses.class);
    private static final Duration KEEP = Duration.ofMinutes(1);

    private List<String> cidrs = List.of();
    private Instant readAt = Instant.MIN;
    private boolean warned;

    synchronized List<String> cidrs(KubernetesClient client) {
        Instant now = Instant.now();
        if (now.isBefore(readAt.plus(KEEP))) {
            return cidrs;
        }
        readAt = now;
        try {
            Endpoints endpoints = client.endpoints().inNamespace("default").withName("kubernetes").get();
            TreeSet<String> found = new TreeSet<>();
            if (endpoints != null && endpoints.getSubsets() != null) {
                for (EndpointSubset subset : endpoints.getSubsets()) {
                    for (EndpointAddress a : subset.getAddresses() == null ? List.<EndpointAddress>of() : subset.getAddresses()) {
                        found.add(a.getIp() + (a.getIp().contains(":") ? "/128" : "/32"));
                    }
                }
            }
            cidrs = List.copyOf(found);
        } catch (KubernetesClientException e) {
            if (!warned) {
                LOG.warnf("worker network policies cannot deny the API server's addresses: reading endpoints default/kubernetes "
                        + "failed (HTTP %d); the chart grants it", e.getCode());
                warned = true;
            }
        }
        return cidrs;
    }
}
