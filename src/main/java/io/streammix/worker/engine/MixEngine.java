package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.ExtraParam;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.validation.SpecValidator;
import io.streammix.api.validation.Violation;
import io.streammix.worker.control.SpecSubmission;
import io.streammix.worker.control.WorkerReport;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The mixer of one task: input threads, the output clock, output threads, and the {@link MixPlan} they share.
 * {@link #apply} swaps in a new spec: the plan is replaced between two ticks; inputs whose source changed are
 * restarted, others keep running; outputs restart only when the outputs changed.
 */
public final class MixEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MixEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param outputDir where outputs given by streamId only are written
     * @param streamUrl pull URL of an input streamId (the operator's template), or null
     */
    public record Config(Path outputDir, Function<String, String> streamUrl) {
    }

    /** One running input: its thread and what it shares with the clock. */
    private record Input(MixInput spec, InputSlot slot, InputWorker worker, String sourceKey) {
    }

    private final Config config;
    private final StillImages images = new StillImages();
    private final Timeline timeline = new Timeline();
    private final Instant startedAt = Instant.now();
    private volatile MixPlan plan;
    private volatile Map<String, InputSlot> slots = Map.of();
    private volatile List<OutputWorker> outputs = List.of();
    private final Map<String, Input> inputs = new LinkedHashMap<>();
    private final MixClock clock;
    private volatile long generation;
    private volatile MixTaskSpec spec;
    private volatile WorkerReport.UpdateResult lastUpdate;
    private volatile boolean stopping;
    private final List<String> specWarnings = new ArrayList<>();

    private MixEngine(Config config) {
        this.config = config;
        this.clock = new MixClock(timeline, () -> plan, () -> slots, () -> outputs);
    }

    /** Validates and starts mixing {@code submission}; throws IllegalArgumentException listing violations. */
    public static MixEngine start(SpecSubmission submission, Config config) {
        List<Violation> v = SpecValidator.validate(submission.spec());
        if (!v.isEmpty()) {
            throw new IllegalArgumentException("invalid spec: " + v);
        }
        MixEngine e = new MixEngine(config);
        synchronized (e) {
            e.install(submission);
            e.clock.start();
        }
        return e;
    }

    /** Applies a new spec; returns the violations (nothing changes) or an empty list when applied. */
    public synchronized List<Violation> apply(SpecSubmission submission) {
        List<Violation> v = SpecValidator.validate(submission.spec());
        if (!v.isEmpty()) {
            lastUpdate = new WorkerReport.UpdateResult(submission.generation(), "Failed",
                    v.stream().map(Violation::toString).reduce((a, b) -> a + "; " + b).orElse(""));
            return v;
        }
        if (spec != null && spec.seq != null && submission.spec().seq != null && submission.spec().seq < spec.seq) {
            Violation stale = new Violation("spec.seq", "must not go back: " + submission.spec().seq + " < applied " + spec.seq);
            lastUpdate = new WorkerReport.UpdateResult(submission.generation(), "Failed", stale.toString());
            return List.of(stale);
        }
        install(submission);
        lastUpdate = new WorkerReport.UpdateResult(submission.generation(), "Applied", null);
        return List.of();
    }

    private void install(SpecSubmission submission) {
        MixTaskSpec next = submission.spec();
        boolean outputsChanged = spec == null || !json(spec.outputs).equals(json(next.outputs));
        MixPlan nextPlan = MixPlan.of(next, images);
        if (outputsChanged) {
            stopOutputs();
        }
        // The plan first, so that inputs started below scale for their new rects at once.
        plan = nextPlan;
        Map<String, Input> keep = new LinkedHashMap<>();
        for (int i = 0; i < next.inputs.size(); i++) {
            MixInput in = next.inputs.get(i);
            String name = in.displayName(i);
            String key = Objects.toString(in.url) + "|" + in.streamId + "|" + in.loop;
            Input running = inputs.remove(name);
            if (running != null && running.sourceKey().equals(key)) {
                keep.put(name, running);
                continue;
            }
            if (running != null) {
                running.worker().stop();
            }
            keep.put(name, startInput(in, name, key));
        }
        inputs.values().forEach(i -> i.worker().stop());
        inputs.clear();
        inputs.putAll(keep);
        Map<String, InputSlot> s = new LinkedHashMap<>();
        inputs.forEach((k, v) -> s.put(k, v.slot()));
        slots = java.util.Collections.unmodifiableMap(s); // keeps spec order for status
        if (outputsChanged) {
            List<OutputWorker> outs = new ArrayList<>();
            for (int i = 0; i < next.outputs.size(); i++) {
                MixOutput o = next.outputs.get(i);
                OutputWorker w = new OutputWorker(o, i, OutputTarget.of(o, i, config.outputDir(),
                        submission.uploadCredentials().get(o.displayName(i))), nextPlan.width(), nextPlan.height());
                w.start();
                outs.add(w);
            }
            outputs = List.copyOf(outs);
        }
        spec = next;
        generation = submission.generation();
        specWarnings.clear();
        specWarnings.addAll(unsupported(next));
    }

    private Input startInput(MixInput in, String name, String key) {
        InputSlot slot = new InputSlot(name);
        InputSource source;
        try {
            source = InputSource.of(in, config.streamUrl());
        } catch (IllegalArgumentException e) {
            // A bad URL is a state with a reason, never a crash.
            slot.lost(e.getMessage());
            return new Input(in, slot, new InputWorker(slot, null, () -> plan, timeline), key);
        }
        InputWorker w = new InputWorker(slot, source, () -> plan, timeline);
        w.start();
        return new Input(in, slot, w, key);
    }

    private static List<String> unsupported(MixTaskSpec s) {
        List<String> w = new ArrayList<>();
        if (Boolean.TRUE.equals(s.soundLevel) || s.userData != null) {
            w.add("soundLevel/userData SEI is not carried in the outputs yet (sound levels are in status and metrics)");
        }
        if (Boolean.TRUE.equals(s.bypass)) {
            w.add("bypass is not implemented: the single input is decoded and re-encoded");
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

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            return String.valueOf(o);
        }
    }

    private void stopOutputs() {
        for (OutputWorker o : outputs) {
            try {
                o.stop(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        outputs = List.of();
    }

    /** Seconds since mixing started. */
    public double mixSeconds() {
        return timeline.now();
    }

    public WorkerReport report() {
        List<WorkerReport.Input> ins = new ArrayList<>();
        slots.values().forEach(s -> ins.add(s.report()));
        List<WorkerReport.Output> outs = outputs.stream().map(OutputWorker::report).toList();
        boolean degraded = ins.stream().anyMatch(i -> !WorkerReport.Input.LIVE.equals(i.state()))
                || outs.stream().anyMatch(o -> !WorkerReport.Output.LIVE.equals(o.state()));
        boolean failed = !outs.isEmpty() && outs.stream().allMatch(o -> WorkerReport.Output.FAILED.equals(o.state()));
        String state = stopping ? WorkerReport.STOPPING : failed ? WorkerReport.FAILED
                : degraded ? WorkerReport.DEGRADED : WorkerReport.RUNNING;
        List<String> warnings = new ArrayList<>(specWarnings);
        outputs.forEach(o -> warnings.addAll(o.warnings()));
        warnings.addAll(images.warnings());
        MixTaskSpec s = spec;
        return new WorkerReport(state, startedAt.toString(), (long) timeline.now(), generation, s == null ? null : s.seq,
                ins, outs, warnings.isEmpty() ? null : warnings, lastUpdate);
    }

    /** Metrics in the Prometheus text format. */
    public String metrics() {
        StringBuilder m = new StringBuilder();
        m.append("# TYPE mixtask_mix_duration_seconds gauge\nmixtask_mix_duration_seconds ")
                .append(String.format(java.util.Locale.ROOT, "%.3f", timeline.now())).append('\n');
        m.append("# TYPE mixtask_input_up gauge\n");
        slots.values().forEach(s -> m.append("mixtask_input_up{input=\"").append(s.name).append("\"} ")
                .append(s.isLive() ? 1 : 0).append('\n'));
        m.append("# TYPE mixtask_input_sound_level gauge\n");
        slots.values().forEach(s -> m.append("mixtask_input_sound_level{input=\"").append(s.name).append("\"} ")
                .append(s.level()).append('\n'));
        m.append("# TYPE mixtask_output_frames_total counter\n");
        outputs.forEach(o -> m.append("mixtask_output_frames_total{output=\"").append(o.name).append("\"} ").append(o.frames()).append('\n'));
        m.append("# TYPE mixtask_output_bytes_total counter\n");
        outputs.forEach(o -> m.append("mixtask_output_bytes_total{output=\"").append(o.name).append("\"} ").append(o.bytes()).append('\n'));
        m.append("# TYPE mixtask_output_dropped_total counter\n");
        outputs.forEach(o -> m.append("mixtask_output_dropped_total{output=\"").append(o.name).append("\"} ").append(o.dropped()).append('\n'));
        m.append("# TYPE mixtask_output_up gauge\n");
        outputs.forEach(o -> m.append("mixtask_output_up{output=\"").append(o.name).append("\"} ")
                .append(WorkerReport.Output.LIVE.equals(o.state()) ? 1 : 0).append('\n'));
        m.append("# TYPE mixtask_skipped_ticks_total counter\nmixtask_skipped_ticks_total ").append(clock.skippedTicks()).append('\n');
        return m.toString();
    }

    /** Input sound levels by input name (0..100), refreshed every 100 ms. */
    public Map<String, Integer> soundLevels() {
        Map<String, Integer> m = new LinkedHashMap<>();
        slots.values().forEach(s -> m.put(s.name, s.level()));
        return m;
    }

    /** Stops everything; outputs flush their encoders and write their trailers. */
    @Override
    public synchronized void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        LOG.info("stopping the mix");
        inputs.values().forEach(i -> i.worker().stop());
        try {
            clock.stop();
            stopOutputs();
            for (Input i : inputs.values()) {
                i.worker().join(3000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        images.close();
    }
}
