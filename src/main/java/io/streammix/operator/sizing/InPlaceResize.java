package io.streammix.operator.sizing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Brings a running worker pod to the requests and limits sized from its task's current spec without restarting it:
 * a strategic-merge patch of the pod's {@code resize} subresource (in-place pod resize, Kubernetes 1.33+, on by
 * default since). The worker Deployment is not touched: a change of its pod template would roll the pod, i.e. stop
 * the mix. Where the cluster refuses (no {@code resize} subresource, no permission, a change it does not allow, or a
 * node that cannot fit it: condition {@code PodResizePending}, reason {@code Infeasible}) the outcome says that a
 * restart is needed; the reconciler reports it, and restarts the worker only when the task accepts it.
 *
 * <p>Called from reconcile threads (never two at once for one task); what was last reported per pod (its figures, and
 * whether the node found them infeasible) is kept in a concurrent map keyed by pod uid, so a refusal is reported once,
 * not on every reconcile. One entry per pod, whatever the number of edits; it goes with the pod ({@link #forget}).
 */
public final class InPlaceResize {
    private static final Logger LOG = Logger.getLogger(InPlaceResize.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The pod condition the kubelet sets while a resize waits; reason Infeasible: this node will never fit it. */
    static final String RESIZE_PENDING = "PodResizePending";

    private final Map<String, String> reported = new ConcurrentHashMap<>();

    /** What happened: nothing to do, resized in place, or refused (a restart is needed), with the figures. */
    public record Outcome(Kind kind, String from, String to, String why) {
        public enum Kind { NONE, RESIZED, RESTART_NEEDED }

        static final Outcome NONE = new Outcome(Kind.NONE, null, null, null);
    }

    /**
     * Resizes {@code pod}'s container {@code container} to {@code wanted} if it differs. A pod that is not bound to a
     * node or is going away is left alone; a conflict or transient error is left for the next reconcile.
     */
    public Outcome apply(KubernetesClient client, Pod pod, String container, ResourceRequirements wanted) {
        if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || pod.getSpec() == null
                || pod.getSpec().getNodeName() == null) {
            return Outcome.NONE;
        }
        Container c = pod.getSpec().getContainers().stream().filter(x -> container.equals(x.getName())).findFirst().orElse(null);
        if (c == null) {
            return Outcome.NONE;
        }
        String from = describe(c.getResources());
        String to = describe(wanted);
        String uid = pod.getMetadata().getUid();
        if (same(c.getResources(), wanted)) {
            return infeasible(pod).map(why -> once(uid, to + " infeasible", new Outcome(Outcome.Kind.RESTART_NEEDED, from, to, why)))
                    .orElse(Outcome.NONE);
        }
        if (to.equals(reported.get(uid))) {
            // Done or refused before for these figures (the informer's copy of the pod may lag a resize): said once.
            return Outcome.NONE;
        }
        String path = "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName() + "/resize";
        try {
            String body = JSON.writeValueAsString(Map.of("spec", Map.of("containers", List.of(Map.of("name", container,
                    "resources", resources(wanted))))));
            HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                    .uri(client.getMasterUrl().toString().replaceAll("/$", "") + path)
                    .method("PATCH", "application/strategic-merge-patch+json", body).build();
            HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class).get(10, TimeUnit.SECONDS);
            int code = response.code();
            if (code / 100 == 2) {
                return once(uid, to, new Outcome(Outcome.Kind.RESIZED, from, to, "resized"));
            }
            if (code == 409 || code == 429 || code >= 500) {
                LOG.infof("resize of pod %s/%s: HTTP %d, again at the next reconcile", pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(), code);
                return Outcome.NONE;
            }
            return once(uid, to, new Outcome(Outcome.Kind.RESTART_NEEDED, from, to, refusal(code, response.body())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.NONE;
        } catch (Exception e) {
            LOG.infof("resize of pod %s/%s failed (%s), again at the next reconcile", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getClass().getSimpleName());
            return Outcome.NONE;
        }
    }

    /** {@code outcome} unless it was the pod's last one reported (same figures, same verdict). */
    private Outcome once(String podUid, String what, Outcome outcome) {
        return what.equals(reported.put(podUid, what)) ? Outcome.NONE : outcome;
    }

    /** The pod is gone (deleted or replaced): what was reported about it goes too. */
    public void forget(String podUid) {
        reported.remove(podUid);
    }

    /** Pods with something reported (for tests: one per pod, whatever the number of edits). */
    public int size() {
        return reported.size();
    }

    /** Why the node will not apply a resize it accepted: its PodResizePending condition with reason Infeasible. */
    private static java.util.Optional<String> infeasible(Pod pod) {
        List<PodCondition> conditions = pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of()
                : pod.getStatus().getConditions();
        return conditions.stream().filter(c -> RESIZE_PENDING.equals(c.getType()) && "Infeasible".equals(c.getReason()))
                .findFirst().map(c -> "the node cannot fit it" + (c.getMessage() == null ? "" : ": " + clip(c.getMessage())));
    }

    static String refusal(int code, String body) {
        String message = null;
        try {
            JsonNode status = JSON.readTree(body == null ? "" : body);
            message = status == null ? null : status.path("message").asText(null);
        } catch (Exception e) {
            // not a Status: the code says enough
        }
        String what = switch (code) {
            case 404 -> "this cluster has no in-place pod resize (pods/resize: HTTP 404; Kubernetes 1.33+)";
            case 403 -> "the operator may not resize pods (pods/resize: HTTP 403; the chart's RBAC grants it)";
            default -> "the API server refused the resize (HTTP " + code + ")";
        };
        return code == 404 || code == 403 || message == null ? what : what + ": " + clip(message);
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** True when both ask the same amounts of cpu and memory, as numbers ("1" equals "1000m"). */
    static boolean same(ResourceRequirements a, ResourceRequirements b) {
        return sameAmounts(a == null ? null : a.getRequests(), b.getRequests())
                && sameAmounts(a == null ? null : a.getLimits(), b.getLimits());
    }

    private static boolean sameAmounts(Map<String, Quantity> a, Map<String, Quantity> b) {
        for (String r : List.of("cpu", "memory")) {
            Quantity x = a == null ? null : a.get(r);
            Quantity y = b == null ? null : b.get(r);
            if (x == null || y == null ? !Objects.equals(x, y)
                    : Quantity.getAmountInBytes(x).compareTo(Quantity.getAmountInBytes(y)) != 0) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> resources(ResourceRequirements r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", strings(r.getRequests()));
        m.put("limits", strings(r.getLimits()));
        return m;
    }

    private static Map<String, String> strings(Map<String, Quantity> q) {
        Map<String, String> m = new LinkedHashMap<>();
        q.forEach((k, v) -> m.put(k, v.toString()));
        return m;
    }

    /** "cpu 250m/500m, memory 256Mi/512Mi" (request/limit). */
    public static String describe(ResourceRequirements r) {
        return "cpu " + amount(r, "cpu") + ", memory " + amount(r, "memory") + " (request/limit)";
    }

    private static String amount(ResourceRequirements r, String res) {
        Quantity req = r == null || r.getRequests() == null ? null : r.getRequests().get(res);
        Quantity lim = r == null || r.getLimits() == null ? null : r.getLimits().get(res);
        return (req == null ? "-" : req.toString()) + "/" + (lim == null ? "-" : lim.toString());
    }
}
