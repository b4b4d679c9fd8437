package io.streammix.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A live audio/video mix: inputs composited by rectangles and mixed, encoded and pushed to outputs.
 * Mirrors one task of the vendor's start-mix API ({@code task_id} is {@code metadata.name}).
 */
@Group(MixTask.GROUP)
@Version(MixTask.VERSION)
@ShortNames("mt")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Duration", jsonPath = ".status.startTime", type = AdditionalPrinterColumn.Type.DATE,
        getDescription = "How long the mix has run since it first started (kubectl counts it from status.startTime, "
                + "so it is live without a status write; status.mixDuration has the seconds, written once a minute)")
@AdditionalPrinterColumn(name = "Play", jsonPath = ".status.play[0].flvUrl", type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "HTTP-FLV play URL of the first output")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MixTask extends CustomResource<MixTaskSpec, MixTaskStatus> implements Namespaced {
    public static final String GROUP = "streammix.io";
    public static final String VERSION = "v1alpha1";

    /**
     * No status until the operator writes one, as on the server. An empty status here made the operator's first
     * status patch a JSON patch adding fields under a {@code /status} the server did not have, which a real API
     * server refuses (422); the mock API server took it.
     */
    @Override
    protected MixTaskStatus initStatus() {
        return null;
    }
}
