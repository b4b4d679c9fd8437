package io.streammix.worker.engine.update;

import io.streammix.api.v1alpha1.ExtraParam;
import io.streammix.api.v1alpha1.MixTaskSpec;

import java.util.ArrayList;
import java.util.List;

/** What a valid spec asks for that this worker does not do: warnings in the report, never a refusal. */
public final class SpecWarnings {
    private SpecWarnings() {
    }

    /** @param bypassed whether the task runs as a bypass relay (its input's packets as they are) */
    public static List<String> of(MixTaskSpec s, boolean bypassed) {
        List<String> w = new ArrayList<>();
        if (bypassed && (Boolean.TRUE.equals(s.soundLevel) || s.userData != null || s.watermark != null)) {
            w.add("bypass: the input is relayed as it is, so userData, soundLevel and watermark do not apply");
        }
        if (s.extraParams != null) {
            for (ExtraParam p : s.extraParams) {
                if (!"video_encode".equals(p.key) && !"sei_mode".equals(p.key)) {
                    w.add("extraParams: unknown key ignored: " + p.key);
                }
            }
        }
        return w;
    }
}
