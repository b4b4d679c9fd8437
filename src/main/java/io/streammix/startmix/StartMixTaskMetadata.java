package io.streammix.startmix;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static io.streammix.startmix.StartMixApi.APPID_ANNOTATION;
import static io.streammix.startmix.StartMixApi.CREATED_BY;
import static io.streammix.startmix.StartMixApi.CREATED_BY_VALUE;
import static io.streammix.startmix.StartMixApi.ID_NAME_ANNOTATION;
import static io.streammix.startmix.StartMixApi.TASK_ID_ANNOTATION;

/**
 * The metadata the start-mix API writes on a MixTask: its mark ({@link StartMixApi#CREATED_BY}), the request's ids as
 * sent and its owner ({@link StartMixTenancy}), kept across updates with the fields start-mix has no word for.
 */
final class StartMixTaskMetadata {
    private StartMixTaskMetadata() {
    }

    /** The MixTask to write: the converted one, on top of the stored one's metadata and the fields start-mix has no word for. */
    static MixTask prepare(StartMixConverter.Result converted, Long appid, String owner, MixTask wanted,
                          Optional<MixTask> existing) {
        MixTask next = new MixTask();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(wanted.getMetadata().getName());
        meta.setNamespace(wanted.getMetadata().getNamespace());
        Map<String, String> labels = new HashMap<>();
        Map<String, String> annotations = new HashMap<>();
        MixTaskSpec spec = wanted.getSpec();
        if (existing.isPresent()) {
            ObjectMeta old = existing.get().getMetadata();
            meta.setResourceVersion(old.getResourceVersion());
            meta.setUid(old.getUid());
            meta.setGeneration(old.getGeneration());
            if (old.getLabels() != null) {
                labels.putAll(old.getLabels());
            }
            if (old.getAnnotations() != null) {
                annotations.putAll(old.getAnnotations());
            }
            MixTaskSpec was = existing.get().getSpec();
            if (was != null) {
                // An admin's scheduling overrides (kubectl edit) survive the next start-mix, which has no word for them.
                spec.worker = was.worker;
                if (spec.seq == null) {
                    spec.seq = was.seq; // a request without seq keeps the order of those with one
                }
            }
        }
        labels.put(CREATED_BY, CREATED_BY_VALUE);
        labels.putIfAbsent(StartMixTenancy.OWNER_LABEL, owner); // the creator's: the cap counts it, whoever updates
        annotations.put(TASK_ID_ANNOTATION, converted.taskId());
        if (converted.idName() != null) {
            annotations.put(ID_NAME_ANNOTATION, converted.idName());
        } else {
            annotations.remove(ID_NAME_ANNOTATION);
        }
        if (appid != null) {
            annotations.put(APPID_ANNOTATION, String.valueOf(appid));
        }
        meta.setLabels(labels);
        meta.setAnnotations(annotations);
        next.setMetadata(meta);
        next.setSpec(spec);
        return next;
    }
}
