package io.streammix.worker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.status.InputFigures;
import io.streammix.worker.engine.status.MixFigures;
import io.streammix.worker.engine.status.OutputFigures;
import io.streammix.worker.engine.status.SinkFigures;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The worker's meters in a Micrometer Prometheus registry. Every meter reads the engine's latest {@link MixFigures},
 * taken once per scrape ({@link #scrape()}); inputs and outputs that appeared since the last scrape get their meters
 * then, and those that went away lose theirs, so a removed input leaves no stale series behind.
 *
 * <p>Names follow Prometheus conventions through Micrometer's naming: base units in the name ({@code _seconds},
 * {@code _bytes}), counters ending in {@code _total}. Labels: {@code namespace} and {@code task} on every meter (from
 * the pod's environment), {@code input} or {@code output} (the spec's names), {@code state} on the state gauges.
 * Never a URL, a stream key or a token.
 */
public final class WorkerMetrics {
    static final List<String> INPUT_STATES = List.of(WorkerReport.Input.CONNECTING, WorkerReport.Input.LIVE, WorkerReport.Input.LOST);
    static final List<String> OUTPUT_STATES = List.of(WorkerReport.Output.CONNECTING, WorkerReport.Output.LIVE,
            WorkerReport.Output.RECONNECTING, WorkerReport.Output.FAILED);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<MixFigures> source;
    private final AtomicReference<MixFigures> mix = new AtomicReference<>();
    private final Map<String, Bound<InputFigures>> inputs = new HashMap<>();
    private final Map<String, Bound<OutputFigures>> outputs = new HashMap<>();
    /** Per input with a defined lag (media received), its lag gauge: an input never received has no lag series. */
    private final Map<String, Bound<InputFigures>> lags = new HashMap<>();
    /** Per output and destination, its meters (label {@code sink}). */
    private final Map<String, Bound<SinkRow>> sinks = new HashMap<>();

    /** One destination of one output. */
    private record SinkRow(String output, SinkFigures figures) {
        String key() {
            return output + "\u0000" + figures.sink();
        }
    }

    /** The meters of one input or output and the figures they read. */
    private record Bound<F>(AtomicReference<F> figures, List<Meter> meters) {
    }

    /**
     * @param namespace the task's namespace (label {@code namespace}); "" when unknown (a local run)
     * @param task      the task's name (label {@code task})
     * @param source    the engine's figures, read once per scrape
     */
    public WorkerMetrics(String namespace, String task, Supplier<MixFigures> source) {
        this.source = source;
        registry.config().commonTags("namespace", namespace, "task", task);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        bindMix();
    }

    /** The Prometheus text exposition (format 0.0.4) of the current figures. */
    public synchronized String scrape() {
        MixFigures now = source.get();
        mix.set(now);
        sync(inputs, now.inputs(), InputFigures::name, this::bindInput);
        sync(outputs, now.outputs(), OutputFigures::name, this::bindOutput);
        sync(lags, now.inputs().stream().filter(i -> Double.isFinite(i.lagSeconds())).toList(), InputFigures::name, this::bindLag);
        sync(sinks, now.outputs().stream().flatMap(o -> o.sinks().stream().map(f -> new SinkRow(o.name(), f))).toList(),
                SinkRow::key, this::bindSink);
        return registry.scrape();
    }

    MeterRegistry registry() {
        return registry;
    }

    private <F> void sync(Map<String, Bound<F>> bound, List<F> current, Function<F, String> name,
                          Function<AtomicReference<F>, List<Meter>> bind) {
        Map<String, F> byName = new HashMap<>();
        current.forEach(f -> byName.put(name.apply(f), f));
        bound.entrySet().removeIf(e -> {
            if (byName.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().meters().forEach(registry::remove);
            return true;
        });
        byName.forEach((n, f) -> {
            Bound<F> b = bound.get(n);
            if (b != null) {
                b.figures().set(f);
            } else {
                AtomicReference<F> ref = new AtomicReference<>(f);
                bound.put(n, new Bound<>(ref, bind.apply(ref)));
            }
        });
    }

    private void bindMix() {
        FunctionCounter.builder("mixtask.mix.media", mix, m -> fig(m).mixSeconds()).baseUnit("seconds")
                .description("Seconds of media the mix has produced (its timeline); with mixtask_mix_cpu_seconds_total, CPU per media second")
                .register(registry);
        FunctionCounter.builder("mixtask.mix.cpu", mix, m -> processCpuSeconds()).baseUnit("seconds")
                .description("CPU seconds used by the worker process (all its threads: decoding, mixing, encoding)")
                .register(registry);
        FunctionTimer.builder("mixtask.mix.tick.lateness", mix, m -> fig(m).ticks(), m -> fig(m).tickLatenessSeconds(), TimeUnit.SECONDS)
                .description("How long after its time each video tick was rendered: _sum / _count is the mean lateness")
                .register(registry);
        FunctionCounter.builder("mixtask.mix.skipped.ticks", mix, m -> fig(m).skippedTicks())
                .description("Video ticks skipped because the clock was more than 1 s behind (CPU starvation)")
                .register(registry);
        Gauge.builder("mixtask.mix.inputs", mix, m -> fig(m).inputs().size()).description("Inputs of the mix").register(registry);
        Gauge.builder("mixtask.mix.outputs", mix, m -> fig(m).outputs().size()).description("Outputs of the mix").register(registry);
    }

    private static MixFigures fig(AtomicReference<MixFigures> m) {
        MixFigures f = m.get();
        return f != null ? f : new MixFigures(0, 0, 0, 0, List.of(), List.of());
    }

    private static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }

    private List<Meter> bindInput(AtomicReference<InputFigures> in) {
        Tags tags = Tags.of("input", in.get().name());
        List<Meter> m = new ArrayList<>();
        for (String state : INPUT_STATES) {
            m.add(Gauge.builder("mixtask.input.state", in, r -> state.equals(r.get().state()) ? 1 : 0).tags(tags).tag("state", state)
                    .description("1 for the input's current state (Connecting, Live, Lost), 0 for the others").register(registry));
        }
        m.add(counter("mixtask.input.frames", in, f -> f.framesIn(), tags, null, "Pictures decoded from the input"));
        m.add(counter("mixtask.input.losses", in, f -> f.losses(), tags, null, "Times the input went Lost (it retries with backoff)"));
        m.add(counter("mixtask.input.decode.errors", in, f -> f.decodeErrors(), tags, null,
                "Packets the decoder refused as corrupt (skipped until the next keyframe)"));
        m.add(counter("mixtask.input.dropped.frames", in, f -> f.dropped(), tags, null,
                "Pictures never drawn because a newer one was due by the same tick"));
        m.add(counter("mixtask.input.repeated.frames", in, f -> f.repeated(), tags, null,
                "Ticks that drew the input's previous picture again (no new one due: a slower input, or a stall)"));
        m.add(gauge("mixtask.input.sound.level", in, f -> f.soundLevel(), tags, null, "Sound level 0..100 (refreshed every 100 ms)"));
        return m;
    }

    /** Only while the lag is defined: absent (not NaN) before an input's first media, and for still images. */
    private List<Meter> bindLag(AtomicReference<InputFigures> in) {
        return List.of(gauge("mixtask.input.lag", in, f -> f.lagSeconds(), Tags.of("input", in.get().name()), "seconds",
                "How far the mix clock is past the moment the input's newest media was due: about a frame interval while it flows, growing while it stalls"));
    }

    private List<Meter> bindSink(AtomicReference<SinkRow> row) {
        Tags tags = Tags.of("output", row.get().output(), "sink", row.get().figures().sink());
        List<Meter> m = new ArrayList<>();
        for (String state : OUTPUT_STATES) {
            m.add(Gauge.builder("mixtask.output.sink.state", row, r -> state.equals(r.get().figures().state()) ? 1 : 0).tags(tags)
                    .tag("state", state).description("1 for the destination's current state (Connecting, Live, Reconnecting, Failed), 0 for the others")
                    .register(registry));
        }
        m.add(FunctionCounter.builder("mixtask.output.sink", row, r -> r.get().figures().bytes()).tags(tags).baseUnit("bytes")
                .description("Bytes written to this destination of the output (push, file, hls, flv)").register(registry));
        m.add(Gauge.builder("mixtask.output.sink.bitrate", row, r -> r.get().figures().bitrate() < 0 ? Double.NaN : r.get().figures().bitrate())
                .tags(tags).baseUnit("bits.per.second").strongReference(true)
                .description("Bits per second written to this destination over the last 2 s: 0 while a push is reconnecting").register(registry));
        m.add(FunctionCounter.builder("mixtask.output.sink.connect.attempts", row, r -> r.get().figures().attempts()).tags(tags)
                .description("Attempts to reach this destination again after a failure, counted when they start: port probes and reopens")
                .register(registry));
        return m;
    }

    private List<Meter> bindOutput(AtomicReference<OutputFigures> out) {
        Tags tags = Tags.of("output", out.get().name());
        List<Meter> m = new ArrayList<>();
        for (String state : OUTPUT_STATES) {
            m.add(Gauge.builder("mixtask.output.state", out, r -> state.equals(r.get().state()) ? 1 : 0).tags(tags).tag("state", state)
                    .description("1 for the output's current state (Connecting, Live, Reconnecting, Failed), 0 for the others")
                    .register(registry));
        }
        m.add(counter("mixtask.output.frames", out, f -> f.frames(), tags, null, "Video frames encoded (bypass: video packets relayed)"));
        m.add(counter("mixtask.output", out, f -> f.bytes(), tags, "bytes", "Bytes written (the same packets go to each of the output's sinks)"));
        m.add(counter("mixtask.output.dropped.frames", out, f -> f.droppedVideo(), tags, null,
                "Video frames dropped because the output was behind (its queue was full)"));
        m.add(counter("mixtask.output.dropped.audio.chunks", out, f -> f.droppedAudio(), tags, null,
                "Audio chunks (1024 samples) dropped because the output was behind"));
        m.add(counter("mixtask.output.reconnects", out, f -> f.reconnects(), tags, null,
                "Network failures that scheduled a reconnect (a lost connection or a failed attempt)"));
        m.add(FunctionTimer.builder("mixtask.output.video.encode", out, r -> r.get().frames(), r -> r.get().encodeSeconds(), TimeUnit.SECONDS)
                .tags(tags).description("Time in the video encoder (writing the packets not included): _sum / _count is the time per frame")
                .register(registry));
        m.add(gauge("mixtask.output.bitrate", out, f -> f.bitrate() < 0 ? Double.NaN : f.bitrate(), tags, "bits.per.second",
                "Bits per second written, measured over the last 2 s"));
        m.add(gauge("mixtask.output.target.bitrate", out, f -> f.targetBitrate() <= 0 ? Double.NaN : f.targetBitrate(), tags,
                "bits.per.second", "Bits per second the spec asks for: video (CBR rate or CRF cap) plus audio"));
        m.add(counter("mixtask.output.recording.files", out, f -> f.recordingFiles(), tags, null, "Recording files started"));
        m.add(uploads(out, tags, "Pending", OutputFigures::uploadsPending));
        m.add(uploads(out, tags, "Uploaded", OutputFigures::uploadsDone));
        m.add(uploads(out, tags, "Failed", OutputFigures::uploadsFailed));
        return m;
    }

    private Meter uploads(AtomicReference<OutputFigures> out, Tags tags, String state, ToDoubleFunction<OutputFigures> count) {
        return Gauge.builder("mixtask.output.recording.uploads", out, r -> count.applyAsDouble(r.get())).tags(tags).tag("state", state)
                .description("Recording files by upload state: Pending (waiting or uploading), Uploaded, Failed (after all retries)")
                .register(registry);
    }

    private <F> Meter counter(String name, AtomicReference<F> ref, ToDoubleFunction<F> value, Tags tags, String unit, String help) {
        return FunctionCounter.builder(name, ref, r -> value.applyAsDouble(r.get())).tags(tags).baseUnit(unit).description(help)
                .register(registry);
    }

    private <F> Meter gauge(String name, AtomicReference<F> ref, ToDoubleFunction<F> value, Tags tags, String unit, String help) {
        return Gauge.builder(name, ref, r -> value.applyAsDouble(r.get())).tags(tags).baseUnit(unit).description(help)
                .strongReference(true).register(registry);
    }
}
