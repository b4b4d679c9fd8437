package io.streammix.operator.spec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.streammix.api.v1alpha1.WorkerOverrides;
import io.streammix.operator.config.OperatorConfig;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Refuses what {@code spec.worker} asks for beyond the admin's bounds ({@code mixtask.tenancy.*}, the chart's
 * {@code tenancy} values): an image, a priority class, a toleration, a node selector or affinity not allowed, resources
 * without limits or outside min/max. Without these bounds a MixTask author effectively created arbitrary pods (issue
 * 13, finding 5). Runs in the operator, on every reconcile of a spec; the error names the field and the setting.
 */
public final class TenantBounds {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TenantBounds() {
    }

    public static void check(WorkerOverrides w, OperatorConfig.Tenancy t) throws InvalidSpecException {
        check(w, t, name -> null);
    }

    /**
     * @param claimLabels the labels of a PersistentVolumeClaim of the task's namespace by name, null when it does not
     *                    exist; asked only when the tenancy allows claims by label
     */
    public static void check(WorkerOverrides w, OperatorConfig.Tenancy t, Function<String, Map<String, String>> claimLabels)
            throws InvalidSpecException {
        if (w == null) {
            return;
        }
        checkVolumes(w, t, claimLabels);
        if (w.image != null && !imageAllowed(w.image, t.allowedImages().orElse(List.of()))) {
            throw new InvalidSpecException("spec.worker.image", "'" + w.image + "' is not an image this cluster allows for "
                    + "workers (mixtask.tenancy.allowed-images: " + t.allowedImages().orElse(List.of()) + ")"
                    + ignoredImagePatterns(t.allowedImages().orElse(List.of())));
        }
        if (w.priorityClassName != null && !t.allowedPriorityClasses().orElse(List.of()).contains(w.priorityClassName)) {
            throw new InvalidSpecException("spec.worker.priorityClassName", "'" + w.priorityClassName + "' is not allowed "
                    + "(mixtask.tenancy.allowed-priority-classes: " + t.allowedPriorityClasses().orElse(List.of()) + ")");
        }
        if (w.tolerations != null) {
            List<Toleration> allowed = tolerations(t);
            for (int i = 0; i < w.tolerations.size(); i++) {
                Toleration x = w.tolerations.get(i);
                if (allowed.stream().noneMatch(a -> same(a, x))) {
                    throw new InvalidSpecException("spec.worker.tolerations[" + i + "]", "not among the tolerations this cluster "
                            + "allows (mixtask.tenancy.allowed-tolerations-json)");
                }
            }
        }
        if (w.nodeSelector != null) {
            for (Map.Entry<String, String> e : w.nodeSelector.entrySet()) {
                List<String> values = t.allowedNodeSelectors().get(e.getKey());
                if (values == null || !(values.contains("*") || values.contains(e.getValue()))) {
                    throw new InvalidSpecException("spec.worker.nodeSelector." + e.getKey(), "'" + e.getKey() + "=" + e.getValue()
                            + "' is not allowed (mixtask.tenancy.allowed-node-selectors)");
                }
            }
        }
        if (w.affinity != null && !t.allowAffinity()) {
            throw new InvalidSpecException("spec.worker.affinity", "not allowed on this cluster (mixtask.tenancy.allow-affinity)");
        }
        if (w.resources != null) {
            checkResources(w.resources, t);
        }
    }

    /** Entries that match nothing, said in the refusal so that the admin learns why (issue 21: no partial globs). */
    private static String ignoredImagePatterns(List<String> allowed) {
        StringBuilder b = new StringBuilder();
        for (String a : allowed) {
            String problem = ImagePattern.problem(a.trim());
            if (problem != null) {
                b.append("; the entry '").append(a.trim()).append("' matches nothing: ").append(problem);
            }
        }
        return b.toString();
    }

    private static boolean imageAllowed(String image, List<String> allowed) {
        return allowed.stream().anyMatch(a -> ImagePattern.matches(a.trim(), image));
    }

    /**
     * Claims only from the admin's list (issue 21: any claim of the namespace could be mounted, another team's data
     * among them): by name ({@code allowed-volume-claims}) or by labels the claim carries, all of them
     * ({@code allowed-volume-claim-labels}). A missing claim gets the same words as one not allowed.
     */
    private static void checkVolumes(WorkerOverrides w, OperatorConfig.Tenancy t, Function<String, Map<String, String>> claimLabels)
            throws InvalidSpecException {
        if (w.volumes == null) {
            return;
        }
        List<String> names = t.allowedVolumeClaims().orElse(List.of());
        Map<String, String> labels = t.allowedVolumeClaimLabels();
        for (int i = 0; i < w.volumes.size(); i++) {
            String claim = w.volumes.get(i).claimName;
            if (claim == null || names.contains(claim)) {
                continue;
            }
            Map<String, String> has = labels.isEmpty() ? null : claimLabels.apply(claim);
            boolean labelled = has != null && labels.entrySet().stream().allMatch(e -> e.getValue().equals(has.get(e.getKey())));
            if (!labelled) {
                throw new InvalidSpecException("spec.worker.volumes[" + i + "].claimName", "'" + claim + "' is not a claim "
                        + "this cluster lets MixTasks mount (mixtask.tenancy.allowed-volume-claims, or the labels in "
                        + "mixtask.tenancy.allowed-volume-claim-labels), or it does not exist");
            }
        }
    }

    private static List<Toleration> tolerations(OperatorConfig.Tenancy t) {
        String json = t.allowedTolerationsJson().orElse("");
        if (json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<Toleration>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("mixtask.tenancy.allowed-tolerations-json: not a JSON array of tolerations", e);
        }
    }

    private static boolean same(Toleration a, Toleration b) {
        return Objects.equals(a.getKey(), b.getKey()) && Objects.equals(op(a), op(b)) && Objects.equals(a.getValue(), b.getValue())
                && Objects.equals(a.getEffect(), b.getEffect()) && Objects.equals(a.getTolerationSeconds(), b.getTolerationSeconds());
    }

    private static String op(Toleration t) {
        return t.getOperator() == null ? "Equal" : t.getOperator();
    }

    private static void checkResources(ResourceRequirements r, OperatorConfig.Tenancy t) throws InvalidSpecException {
        Map<String, Quantity> limits = r.getLimits() == null ? Map.of() : r.getLimits();
        Map<String, Quantity> requests = r.getRequests() == null ? Map.of() : r.getRequests();
        for (String res : List.of("cpu", "memory")) {
            BigDecimal min = Quantity.getAmountInBytes(new Quantity(res.equals("cpu") ? t.minCpu() : t.minMemory()));
            BigDecimal max = Quantity.getAmountInBytes(new Quantity(res.equals("cpu") ? t.maxCpu() : t.maxMemory()));
            String bounds = " (mixtask.tenancy: " + (res.equals("cpu") ? t.minCpu() + " to " + t.maxCpu()
                    : t.minMemory() + " to " + t.maxMemory()) + ")";
            Quantity limit = limits.get(res);
            if (limit == null) {
                throw new InvalidSpecException("spec.worker.resources.limits." + res, "is required: a worker without limits could "
                        + "take its node" + bounds);
            }
            BigDecimal l = Quantity.getAmountInBytes(limit);
            if (l.compareTo(max) > 0 || l.compareTo(min) < 0) {
                throw new InvalidSpecException("spec.worker.resources.limits." + res, "must be within the cluster's bounds" + bounds);
            }
            Quantity request = requests.get(res);
            if (request != null) {
                BigDecimal q = Quantity.getAmountInBytes(request);
                if (q.compareTo(min) < 0 || q.compareTo(l) > 0) {
                    throw new InvalidSpecException("spec.worker.resources.requests." + res,
                            "must be at least the cluster's minimum and at most the limit" + bounds);
                }
            }
        }
        for (String other : limits.keySet()) {
            if (!other.equals("cpu") && !other.equals("memory")) {
                throw new InvalidSpecException("spec.worker.resources.limits." + other, "only cpu and memory may be set");
            }
        }
        for (String other : requests.keySet()) {
            if (!other.equals("cpu") && !other.equals("memory")) {
                throw new InvalidSpecException("spec.worker.resources.requests." + other, "only cpu and memory may be set");
            }
        }
    }
}
