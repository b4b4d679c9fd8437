package io.streammix.operator.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.config.UrlTemplate;
import io.streammix.operator.spec.SpecResolver;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Client of a worker's control API (see {@link ControlApi}). Every call carries the task's token;
 * failures come back as {@link WorkerUnreachableException} with a message fit for status (no URL
 * credentials: the control URL has none, and bodies are never echoed).
 */
@ApplicationScoped
public class WorkerClient {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The placeholder of the worker pod's IP in the control URL template. */
    public static final String POD_IP = "podIP";

    private final OperatorConfig config;
    private final HttpClient http;

    public WorkerClient(OperatorConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.worker().controlTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** GET /status of the task's worker. */
    public WorkerReport status(MixTask task, String token) throws WorkerUnreachableException {
        return status(task, null, token);
    }

    /**
     * GET /status of the task's worker.
     *
     * @param podIp the worker pod's IP, for a control URL template with {@code {podIP}}; null when there is none yet
     */
    public WorkerReport status(MixTask task, String podIp, String token) throws WorkerUnreachableException {
        HttpRequest request = request(task, podIp, ControlApi.STATUS, token).GET().build();
        return send(request);
    }

    /**
     * PUT /spec: hands a new spec to a running worker, which applies it live (or restarts the outputs concerned).
     * Bounded by the control timeout, like every call: reconcile threads never wait longer than that.
     *
     * @throws SpecRefusedException     the worker refused the spec (not to be retried)
     * @throws WorkerUnreachableException the call failed (to be retried)
     */
    public WorkerReport submit(MixTask task, String podIp, String token, SpecSubmission submission) throws WorkerUnreachableException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(submission);
        } catch (IOException e) {
            throw new IllegalStateException("a spec always serializes", e);
        }
        HttpRequest request = request(task, podIp, ControlApi.SPEC, token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return send(request);
    }

    private HttpRequest.Builder request(MixTask task, String podIp, String path, String token) throws WorkerUnreachableException {
        URI uri = URI.create(baseUrl(task, podIp) + path);
        Duration timeout = config.worker().controlTimeout();
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", "Bearer " + token);
    }

    /**
     * The control URL: {@code mixtask.worker.control-url-template} with the task's values and {@code {podIP}}, the
     * worker pod's own address (reaching the pod itself, with no Service or cluster DNS in between).
     */
    String baseUrl(MixTask task, String podIp) throws WorkerUnreachableException {
        String template = config.worker().controlUrlTemplate();
        if (template.contains("{" + POD_IP + "}") && (podIp == null || podIp.isEmpty())) {
            throw new WorkerUnreachableException("the worker pod has no IP yet");
        }
        Map<String, String> values = new HashMap<>(SpecResolver.templateValues(task));
        values.put(POD_IP, podIp);
        String base = UrlTemplate.expand(template, values);
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static String refusal(byte[] body) {
        try {
            var node = JSON.readTree(body);
            var violations = node.get("violations");
            if (violations != null && violations.isArray() && !violations.isEmpty()) {
                java.util.List<String> m = new java.util.ArrayList<>();
                violations.forEach(v -> m.add(v.path("message").asText()));
                return String.join("; ", m);
            }
            return node.path("message").asText("no reason given");
        } catch (IOException e) {
            return "no reason given";
        }
    }

    private WorkerReport send(HttpRequest request) throws WorkerUnreachableException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new WorkerUnreachableException("worker control API not reachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReconcileInterruptedException(e);
        }
        if (response.statusCode() == 422) {
            // The worker's message names fields and rules, never values; it is redacted again before status.
            throw new SpecRefusedException("the worker refused the spec: " + refusal(response.body()));
        }
        if (response.statusCode() != 200) {
            throw new WorkerUnreachableException("worker control API answered HTTP " + response.statusCode());
        }
        try {
            return JSON.readValue(response.body(), WorkerReport.class);
        } catch (IOException e) {
            throw new WorkerUnreachableException("worker sent an unreadable report");
        }
    }
}
