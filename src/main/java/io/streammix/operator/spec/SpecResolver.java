package io.streammix.operator.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.PlayInfo;
import io.streammix.api.v1alpha1.S3Upload;
import io.streammix.api.v1alpha1.ValueFrom;
import io.streammix.api.validation.SpecValidator;
import io.streammix.api.validation.UrlPolicy;
import io.streammix.api.validation.Violation;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.config.UrlTemplate;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.worker.contract.SpecSubmission;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a spec (the admission rules again, plus what only the operator knows: its fps cap, the
 * schemes the worker handles, the Secrets in the namespace) and turns it into what the worker runs:
 * stream ids expanded with the media-server templates, {@code urlFrom} read from Secrets, every
 * input and output named. Error messages name the field but never a URL (it may hold a key).
 */
@ApplicationScoped
public class SpecResolver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OperatorConfig config;
    private final KubernetesClient client;

    public SpecResolver(OperatorConfig config, KubernetesClient client) {
        this.config = config;
        this.client = client;
    }

    public ResolvedSpec resolve(MixTask task) throws InvalidSpecException {
        List<Violation> violations = SpecValidator.validate(task.getSpec());
        if (!violations.isEmpty()) {
            Violation first = violations.get(0);
            String rest = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
            throw new InvalidSpecException(first.field(), first.rule() + rest);
        }
        TenantBounds.check(task.getSpec().worker, config.tenancy(), claim -> {
            var pvc = client.persistentVolumeClaims().inNamespace(task.getMetadata().getNamespace()).withName(claim).get();
            return pvc == null ? null : pvc.getMetadata().getLabels() == null ? Map.of() : pvc.getMetadata().getLabels();
        });
        // Work on a copy: the cached MixTask must stay as the user wrote it.
        MixTaskSpec spec = JSON.convertValue(task.getSpec(), MixTaskSpec.class);
        Map<String, String> vars = templateValues(task);
        for (int i = 0; i < spec.inputs.size(); i++) {
            resolveInput(task, spec.inputs.get(i), i, vars);
        }
        List<PlayInfo> play = new ArrayList<>();
        Map<String, SpecSubmission.S3Credentials> credentials = new HashMap<>();
        for (int i = 0; i < spec.outputs.size(); i++) {
            MixOutput out = spec.outputs.get(i);
            String key = out.streamId != null ? out.streamId : out.displayName(i);
            play.add(playInfo(key, vars));
            resolveOutput(task, out, i, vars);
            if (out.recording != null && out.recording.upload != null) {
                credentials.put(out.name, uploadCredentials(task, out.recording.upload, "spec.outputs[" + i + "].recording.upload"));
            }
        }
        return new ResolvedSpec(new SpecSubmission(generationOf(task), spec, credentials), List.copyOf(play));
    }

    private void resolveInput(MixTask task, MixInput in, int i, Map<String, String> vars) throws InvalidSpecException {
        String at = "spec.inputs[" + i + "]";
        in.name = in.displayName(i);
        if (in.streamId != null) {
            String template = config.media().inputUrlTemplate().orElseThrow(() -> new InvalidSpecException(at + ".streamId",
                    "no media server is configured to pull stream ids from (mixtask.media.input-url-template); use url"));
            in.url = streamUrl(template, vars, in.streamId);
            in.streamId = null;
        } else if (in.urlFrom != null) {
            in.url = readSecret(task, in.urlFrom, at + ".urlFrom");
            in.urlFrom = null;
        }
        checkUrl(task, at, in.url, UrlPolicy.Use.INPUT);
    }

    private void resolveOutput(MixTask task, MixOutput out, int i, Map<String, String> vars) throws InvalidSpecException {
        String at = "spec.outputs[" + i + "]";
        out.name = out.displayName(i);
        if (out.video != null && out.video.fps > config.maxFps()) {
            throw new InvalidSpecException(at + ".video.fps",
                    "must be at most " + config.maxFps() + " on this cluster (got " + out.video.fps + ")");
        }
        if (out.streamId != null) {
            // Without a media server the worker publishes the output itself (HLS and HTTP-FLV on its media port).
            if (config.media().outputUrlTemplate().isPresent()) {
                out.url = streamUrl(config.media().outputUrlTemplate().get(), vars, out.streamId);
                out.streamId = null;
            }
        } else if (out.urlFrom != null) {
            out.url = readSecret(task, out.urlFrom, at + ".urlFrom");
            out.urlFrom = null;
        }
        if (out.url != null) {
            checkUrl(task, at, out.url, UrlPolicy.Use.OUTPUT);
        }
        if (out.recording != null && out.recording.upload != null && out.recording.upload.endpoint != null) {
            // The worker's S3 client connects to it: the URL policy's host rules apply as to any URL (issue 21).
            String refused = UrlPolicy.refusal(out.recording.upload.endpoint, UrlPolicy.Use.IMAGE);
            if (refused != null) {
                throw new InvalidSpecException(at + ".recording.upload.endpoint", refused);
            }
        }
    }

    /** The key pair read from the Secrets; the spec keeps only the references (the worker's Secret carries the values). */
    private SpecSubmission.S3Credentials uploadCredentials(MixTask task, S3Upload upload, String at) throws InvalidSpecException {
        return new SpecSubmission.S3Credentials(readSecret(task, upload.accessKeyFrom, at + ".accessKeyFrom"),
                readSecret(task, upload.secretKeyFrom, at + ".secretKeyFrom"));
    }

    /**
     * The URL policy again on the URL the worker will open: values read from Secrets and URLs made from the operator's
     * templates never went through admission. The message names the field ({@code .url} or {@code .urlFrom}) and the
     * rule, never the value.
     */
    private static void checkUrl(MixTask task, String at, String url, UrlPolicy.Use use) throws InvalidSpecException {
        String field = at + (isFromSecret(task, at) ? ".urlFrom" : ".url");
        String why = UrlPolicy.refusal(url, use);
        if (why != null) {
            throw new InvalidSpecException(field, why);
        }
        List<String> mounts = task.getSpec().worker == null || task.getSpec().worker.volumes == null ? List.of()
                : task.getSpec().worker.volumes.stream().map(v -> v.mountPath).toList();
        if (!UrlPolicy.absoluteFileUnder(url, mounts)) {
            throw new InvalidSpecException(field, "an absolute file path must lie under the mountPath of one of spec.worker.volumes");
        }
    }

    private static boolean isFromSecret(MixTask task, String at) {
        int i = Integer.parseInt(at.substring(at.indexOf('[') + 1, at.indexOf(']')));
        return at.startsWith("spec.inputs") ? task.getSpec().inputs.get(i).urlFrom != null : task.getSpec().outputs.get(i).urlFrom != null;
    }

    /**
     * Label a Secret must carry, set to {@code "true"}, for MixTasks to read it (issue 13): the operator reads Secrets with
     * its own rights, so without an opt-in whoever may create a MixTask in a namespace could have the operator read any
     * Secret there (a service account token, a TLS key) into a worker. The owner of a Secret says it is meant for mixes.
     */
    public static final String READABLE_LABEL = "streammix.io/mixtask-readable";

    private String readSecret(MixTask task, ValueFrom from, String at) throws InvalidSpecException {
        SecretKeySelector ref = from.secretKeyRef;
        Secret secret = client.secrets().inNamespace(task.getMetadata().getNamespace()).withName(ref.getName()).get();
        boolean readable = secret != null && secret.getMetadata().getLabels() != null
                && "true".equals(secret.getMetadata().getLabels().get(READABLE_LABEL));
        if (!readable) {
            // The same words whether it is missing or not opted in: a MixTask author learns nothing about other Secrets.
            throw new InvalidSpecException(at, "Secret '" + ref.getName() + "' not found, or not labelled " + READABLE_LABEL
                    + "=true (only Secrets carrying that label can be read by MixTasks)");
        }
        return secretValue(secret, ref, at);
    }

    /**
     * The value {@code ref} selects in {@code secret} (null: not found), from {@code data} (base64) or {@code stringData},
     * trimmed. Shared with the local run, which reads its Secrets from files. The error names the Secret and key, never
     * the value.
     */
    public static String secretValue(Secret secret, SecretKeySelector ref, String at) throws InvalidSpecException {
        if (secret == null) {
            throw new InvalidSpecException(at, "Secret '" + ref.getName() + "' not found");
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(ref.getKey());
        String plain = secret.getStringData() == null ? null : secret.getStringData().get(ref.getKey());
        if (encoded == null && plain == null) {
            throw new InvalidSpecException(at, "Secret '" + ref.getName() + "' has no key '" + ref.getKey() + "'");
        }
        String value = (encoded != null ? new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8) : plain).trim();
        if (value.length() < MIN_SECRET_CHARS) {
            // Redaction replaces a value wherever it appears: a value of a character or two appears in every sentence,
            // and the holes it left in status showed what it was (issue 21).
            throw new InvalidSpecException(at, "Secret '" + ref.getName() + "' key '" + ref.getKey() + "': the value must be at least "
                    + MIN_SECRET_CHARS + " characters (a shorter one could not be told apart from other text, so it could "
                    + "not be kept out of status and logs)");
        }
        return value;
    }

    /** Shortest Secret value read (issue 21): shorter ones are refused rather than redacted. */
    public static final int MIN_SECRET_CHARS = 6;

    /** Play URLs of one output; {@code key} is its streamId, else its name (what the worker serves it under). */
    private PlayInfo playInfo(String key, Map<String, String> vars) {
        Map<String, String> values = withStreamId(vars, key);
        PlayInfo play = new PlayInfo();
        play.streamId = key;
        play.streamAlias = key;
        play.rtmpUrl = config.media().rtmpPlayUrlTemplate().map(t -> UrlTemplate.expand(t, values)).orElse(null);
        play.flvUrl = UrlTemplate.expand(config.media().flvPlayUrlTemplate(), values);
        play.hlsUrl = UrlTemplate.expand(config.media().hlsPlayUrlTemplate(), values);
        return play;
    }

    /** The placeholders of the templates, but {streamId} which is per input/output. */
    public static Map<String, String> templateValues(MixTask task) {
        Map<String, String> vars = new HashMap<>();
        vars.put("namespace", task.getMetadata().getNamespace());
        vars.put("task", task.getMetadata().getName());
        vars.put("service", WorkerNames.workerName(task));
        vars.put("roomId", task.getSpec() == null || task.getSpec().roomId == null ? "" : task.getSpec().roomId);
        return vars;
    }

    /** A stream id through a media-server URL template; {@code vars} from {@link #templateValues}. The local run uses it too. */
    public static String streamUrl(String template, Map<String, String> vars, String streamId) {
        return UrlTemplate.expand(template, withStreamId(vars, streamId));
    }

    private static Map<String, String> withStreamId(Map<String, String> vars, String streamId) {
        Map<String, String> values = new HashMap<>(vars);
        values.put("streamId", streamId);
        return values;
    }

    private static long generationOf(MixTask task) {
        Long generation = task.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }
}
