package io.streammix.operator.worker;

import io.streammix.api.v1alpha1.MixTask;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Names and labels of what the operator creates for a task. A MixTask name may be up to 253
 * characters, a Service name and a label value at most 63: long names are cut and suffixed with a
 * hash so two tasks never share a worker.
 */
public final class WorkerNames {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "mixtask-operator";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String COMPONENT_VALUE = "mixtask-worker";
    public static final String TASK_LABEL = "streammix.io/task";
    /** Selects only what this operator created, so its informers do not cache the whole cluster. */
    public static final String SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE + "," + COMPONENT + "=" + COMPONENT_VALUE;

    /** On pods: which MixTask they belong to (pods are owned by a ReplicaSet, not by the task). */
    public static final String TASK_NAME_ANNOTATION = "streammix.io/task-name";
    public static final String TASK_NAMESPACE_ANNOTATION = "streammix.io/task-namespace";
    /** Hash of everything that needs a worker restart; on the Deployment and its pod template. */
    public static final String RESTART_HASH_ANNOTATION = "streammix.io/restart-hash";
    /** On the pod template: set when the operator replaced a worker that would not take a spec (part of the hash). */
    public static final String RESTART_TOKEN_ANNOTATION = "streammix.io/restart-token";
    /** On the worker's pod template: a node found lost by fast failover, which the worker's node affinity excludes. */
    public static final String AVOID_NODE_ANNOTATION = "streammix.io/avoid-node";
    /** Hash of the desired Service, to update it only when it changed. */
    public static final String SERVICE_HASH_ANNOTATION = "streammix.io/service-hash";
    /** Hash of the desired NetworkPolicy, likewise. */
    public static final String POLICY_HASH_ANNOTATION = "streammix.io/policy-hash";

    private static final int MAX_LABEL = 63;

    private WorkerNames() {
    }

    /** The worker's Deployment, Service and Secret all share this name. */
    public static String workerName(MixTask task) {
        return shorten("mt-" + task.getMetadata().getName());
    }

    public static String taskLabelValue(MixTask task) {
        return shorten(task.getMetadata().getName());
    }

    /** A fresh, mutable map: JOSDK adds its own metadata to what it creates. */
    public static Map<String, String> labels(MixTask task) {
        return new HashMap<>(Map.of(MANAGED_BY, MANAGED_BY_VALUE, COMPONENT, COMPONENT_VALUE, TASK_LABEL, taskLabelValue(task)));
    }

    static String shorten(String name) {
        if (name.length() <= MAX_LABEL) {
            return name;
        }
        return name.substring(0, MAX_LABEL - 9) + "-" + sha256Hex(name).substring(0, 8);
    }

    public static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
