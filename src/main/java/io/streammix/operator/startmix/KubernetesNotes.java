package io.streammix.operator.startmix;

import io.streammix.api.v1alpha1.InputStatus;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.validation.Violation;

import java.util.ArrayList;
import java.util.List;

/**
 * What the operator's start-mix reply says beyond the request, as the embedded server's does: before the worker runs
 * the task, what can be known without fetching anything (the API never opens a caller's URL: no request to an address
 * a caller chose leaves the operator, so an image's size is the worker's to check); after, what the worker's status
 * says. Each note names a MixTask or status field, said in the request's terms by the API.
 */
final class KubernetesNotes {
    private KubernetesNotes() {
    }

    /** Inputs by stream id (pulled from the media server; they may not be published yet) and the images given. */
    static List<Violation> beforeTheWorker(MixTask task) {
        List<Violation> notes = new ArrayList<>();
        MixTaskSpec spec = task.getSpec();
        for (int i = 0; i < spec.inputs.size(); i++) {
            MixInput in = spec.inputs.get(i);
            if (in.streamId != null) {
                notes.add(new Violation("spec.inputs[" + i + "].streamId", "'" + in.streamId + "' is pulled from the media "
                        + "server (media.inputUrlTemplate); the mix does not wait for it: until it is published there its rect "
                        + "shows the background (its lost-input policy); status.inputs says when it is live"));
            }
        }
        if (spec.background != null && spec.background.image != null) {
            notes.add(imageNote("spec.background.image"));
        }
        if (spec.watermark != null && spec.watermark.image != null) {
            notes.add(imageNote("spec.watermark.image"));
        }
        return notes;
    }

    /** What a status the worker wrote for this write says: inputs not live (with why), and its warnings. */
    static List<Violation> fromStatus(MixTaskStatus status) {
        List<Violation> notes = new ArrayList<>();
        if (status.inputs != null) {
            for (InputStatus in : status.inputs) {
                if (in.state != null && !in.state.equals("Live")) {
                    notes.add(new Violation("status.inputs[" + in.name + "]", in.state + (in.reason == null ? "" : ": " + in.reason)));
                }
            }
        }
        if (status.warnings != null) {
            status.warnings.forEach(w -> notes.add(new Violation("status.warnings", w)));
        }
        return notes;
    }

    private static Violation imageNote(String field) {
        return new Violation(field, "not fetched by the API (it opens no caller's URL); the worker checks it when it loads "
                + "it (over 5 MB: not shown), and status.warnings says so");
    }
}
