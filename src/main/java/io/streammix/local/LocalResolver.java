package io.streammix.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.ValueFrom;
import io.streammix.operator.spec.InvalidSpecException;
import io.streammix.operator.spec.SpecResolver;

import java.util.Map;

/**
 * For a local run, what the operator's {@link SpecResolver} does before a worker sees a spec: stream-id inputs pulled
 * through an input URL template ({@code --input-url-template}, the operator's {@code mixtask.media.input-url-template})
 * and {@code urlFrom} read from Secrets (those of the task's file and of {@code --secrets}). The template expansion
 * and the Secret decoding are the operator's own code. Output stream ids stay: with no output template the worker
 * serves them itself on its media port, as on a cluster without a media server. Errors name the field, never a value.
 */
public final class LocalResolver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalResolver() {
    }

    /** A resolved copy of the task's spec (the task is left as written). */
    public static MixTaskSpec resolve(MixTask task, String inputUrlTemplate, Map<String, Secret> secrets) throws InvalidSpecException {
        MixTaskSpec spec = JSON.convertValue(task.getSpec(), MixTaskSpec.class);
        Map<String, String> vars = SpecResolver.templateValues(task);
        for (int i = 0; i < spec.inputs.size(); i++) {
            MixInput in = spec.inputs.get(i);
            String at = "spec.inputs[" + i + "]";
            if (in.streamId != null) {
                if (inputUrlTemplate == null) {
                    throw new InvalidSpecException(at + ".streamId", "no media server to pull stream ids from: give "
                            + "--input-url-template (e.g. rtmp://127.0.0.1:1935/live/{streamId}) or use url");
                }
                try {
                    in.url = SpecResolver.streamUrl(inputUrlTemplate, vars, in.streamId);
                } catch (IllegalArgumentException e) {
                    throw new InvalidSpecException("--input-url-template", e.getMessage());
                }
                in.streamId = null;
            } else if (in.urlFrom != null) {
                in.url = secretValue(secrets, in.urlFrom, at + ".urlFrom");
                in.urlFrom = null;
            }
        }
        for (int i = 0; i < spec.outputs.size(); i++) {
            MixOutput out = spec.outputs.get(i);
            if (out.urlFrom != null) {
                out.url = secretValue(secrets, out.urlFrom, "spec.outputs[" + i + "].urlFrom");
                out.urlFrom = null;
            }
        }
        return spec;
    }

    private static String secretValue(Map<String, Secret> secrets, ValueFrom from, String at) throws InvalidSpecException {
        String name = from.secretKeyRef.getName();
        if (!secrets.containsKey(name)) {
            throw new InvalidSpecException(at, "Secret '" + name + "' not found (a local run reads the Secrets of the "
                    + "task's file and of --secrets FILE)");
        }
        return SpecResolver.secretValue(secrets.get(name), from.secretKeyRef, at);
    }
}
