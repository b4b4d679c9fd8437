package io.streammix.api.v1alpha1;

/** Coarse state of a mix task, for humans and `kubectl get`; the conditions carry the detail. */
public enum Phase {
    Pending,
    Starting,
    Running,
    Degraded,
    Failed
}
