package io.streammix.worker.engine.input;

import io.streammix.api.v1alpha1.MixInput;
import io.streammix.worker.engine.mix.InputSlot;
import io.streammix.worker.engine.mix.Timeline;
import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.engine.source.InputSource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The inputs of a mixing engine by name, each with its thread ({@link InputWorker}) and the slot it hands the clock.
 * {@link #reconcile} keeps an input whose source (URL, streamId, loop) did not change, however its layout changed, and
 * restarts the others. Called under the engine's lock only; {@link #slots()} is an immutable map in spec order.
 */
public final class RunningInputs {
    private record Running(InputSlot slot, InputWorker worker, String sourceKey) {
    }

    private final Map<String, Running> running = new LinkedHashMap<>();
    private final Supplier<MixPlan> plan;
    private final Timeline timeline;
    private final Function<String, String> streamUrl;

    /** @param streamUrl pull URL of an input streamId (the operator's template), or null */
    public RunningInputs(Supplier<MixPlan> plan, Timeline timeline, Function<String, String> streamUrl) {
        this.plan = plan;
        this.timeline = timeline;
        this.streamUrl = streamUrl;
    }

    /** Makes the running inputs those of {@code inputs}; returns their slots, in spec order. */
    public Map<String, InputSlot> reconcile(List<MixInput> inputs) {
        Map<String, Running> keep = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            MixInput in = inputs.get(i);
            String name = in.displayName(i);
            String key = Objects.toString(in.url) + "|" + in.streamId + "|" + in.loop;
            Running r = running.remove(name);
            if (r != null && r.sourceKey().equals(key)) {
                keep.put(name, r);
                continue;
            }
            if (r != null) {
                r.worker().stop();
            }
            keep.put(name, start(in, name, key));
        }
        running.values().forEach(r -> r.worker().stop());
        running.clear();
        running.putAll(keep);
        return slots();
    }

    public Map<String, InputSlot> slots() {
        Map<String, InputSlot> s = new LinkedHashMap<>();
        running.forEach((k, v) -> s.put(k, v.slot()));
        return Collections.unmodifiableMap(s);
    }

    private Running start(MixInput in, String name, String key) {
        InputSlot slot = new InputSlot(name);
        InputSource source;
        try {
            source = InputSource.of(in, streamUrl);
        } catch (IllegalArgumentException e) {
            // A bad URL is a state with a reason, never a crash.
            slot.lost(e.getMessage());
            return new Running(slot, new InputWorker(slot, null, plan, timeline), key);
        }
        InputWorker w = new InputWorker(slot, source, plan, timeline);
        w.start();
        return new Running(slot, w, key);
    }

    /** Asks every input thread to stop (they end within one read timeout). */
    public void stopAll() {
        running.values().forEach(r -> r.worker().stop());
    }

    /** Waits for the stopped input threads, up to {@code millis} each. */
    public void joinAll(long millis) throws InterruptedException {
        for (Running r : running.values()) {
            r.worker().join(millis);
        }
    }
}
