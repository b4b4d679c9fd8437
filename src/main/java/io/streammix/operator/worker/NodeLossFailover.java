package io.streammix.operator.worker;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Opt-in fast failover ({@code mixtask.worker.fast-failover-after}): a worker that has not answered its status calls
 * for that long, on a node whose kubelet has not renewed its Lease ({@code kube-node-lease}) for that long either, is
 * taken for lost with its node. The reconciler then replaces it at once, on another node, instead of waiting for the
 * node controller's grace (50 s by default) and the pod's toleration.
 *
 * <p>The trade-off: a node cut off from the control plane but not from the network (a partition) may still run the
 * old worker, which keeps pushing its outputs until its kubelet hears of the deletion; for a while two workers may
 * push the same outputs. Off by default for that reason.
 *
 * <p>Called on the reconciler's thread; holds no state (the Lease is read when a worker is already silent).
 */
public final class NodeLossFailover {
    static final String LEASE_NAMESPACE = "kube-node-lease";
    private final Optional<Duration> after;

    public NodeLossFailover(Optional<Duration> after) {
        this.after = after.filter(d -> !d.isZero() && !d.isNegative());
    }

    public boolean enabled() {
        return after.isPresent();
    }

    /**
     * The node the worker is lost with, when fast failover is on, the worker has been silent for the configured time and
     * its node's Lease is older than that too; empty otherwise (and whenever the Lease cannot be read).
     */
    public Optional<String> lostNode(KubernetesClient client, Optional<Pod> pod, Duration silentFor, Instant now) {
        if (after.isEmpty() || pod.isEmpty() || silentFor.compareTo(after.get()) < 0) {
            return Optional.empty();
        }
        String node = pod.get().getSpec() == null ? null : pod.get().getSpec().getNodeName();
        if (node == null) {
            return Optional.empty();
        }
        try {
            Lease lease = client.leases().inNamespace(LEASE_NAMESPACE).withName(node).get();
            if (lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
                return Optional.empty();
            }
            Instant renewed = lease.getSpec().getRenewTime().toInstant();
            return Duration.between(renewed, now).compareTo(after.get()) >= 0 ? Optional.of(node) : Optional.empty();
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }
}
