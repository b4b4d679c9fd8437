package io.streammix.worker.engine.sei;

import io.streammix.api.v1alpha1.ExtraParam;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.SeiMode;
import io.streammix.worker.engine.mix.InputSlot;
import io.streammix.worker.engine.scene.InputLayout;
import io.streammix.worker.engine.scene.MixPlan;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the video outputs put into SEI right now: the userData payload and its mode from the applied spec, and
 * the inputs' sound levels when soundLevel is on. The engine updates it on every applied spec; every output
 * thread reads it for each frame (volatile fields, no lock), so a live edit reaches the next frame encoded.
 */
public final class SeiFeed {
    /** For outputs built without an engine (no SEI at all). */
    public static final SeiFeed NONE = new SeiFeed(() -> null, Map::of);

    /** userData as an SEI payload (UUID + UTF-8), and when to attach it. */
    record UserData(byte[] payload, SeiMode mode) {
    }

    private final Supplier<MixPlan> plan;
    private final Supplier<Map<String, InputSlot>> slots;
    private volatile UserData userData;
    private volatile boolean soundLevel;

    public SeiFeed(Supplier<MixPlan> plan, Supplier<Map<String, InputSlot>> slots) {
        this.plan = plan;
        this.slots = slots;
    }

    public void update(MixTaskSpec spec) {
        userData = spec.userData == null || spec.userData.isEmpty() ? null
                : new UserData(SeiMessages.payload(SeiMessages.USER_DATA, spec.userData.getBytes(StandardCharsets.UTF_8)),
                modeOf(spec));
        soundLevel = Boolean.TRUE.equals(spec.soundLevel);
    }

    /** seiMode, else extraParams sei_mode (1 = EveryFrame, 0 = KeyframesAndChanges, as the start-mix converter reads it), else the default. */
    static SeiMode modeOf(MixTaskSpec spec) {
        if (spec.seiMode != null) {
            return spec.seiMode;
        }
        if (spec.extraParams != null) {
            for (ExtraParam p : spec.extraParams) {
                if ("sei_mode".equals(p.key) && p.value != null) {
                    return "1".equals(p.value.trim()) ? SeiMode.EveryFrame : SeiMode.KeyframesAndChanges;
                }
            }
        }
        return SeiMode.KeyframesAndChanges;
    }

    /** The userData payload and mode, or null when there is no userData. */
    UserData userData() {
        return userData;
    }

    /** The sound-level payload (UUID + JSON) for the levels right now, or null when soundLevel is off. */
    byte[] soundLevels() {
        MixPlan p = plan.get();
        if (!soundLevel || p == null) {
            return null;
        }
        Map<String, InputSlot> s = slots.get();
        Map<Long, Integer> levels = new LinkedHashMap<>();
        for (InputLayout in : p.inputs().values()) {
            InputSlot slot = s.get(in.name());
            levels.put(in.soundLevelId(), slot == null ? 0 : slot.level());
        }
        return SeiMessages.payload(SeiMessages.SOUND_LEVELS, SeiMessages.soundLevels(levels));
    }
}
