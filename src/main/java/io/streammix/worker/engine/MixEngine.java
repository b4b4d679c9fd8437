package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.validation.SpecValidator;
import io.streammix.api.validation.Violation;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.bypass.BypassOutput;
import io.streammix.worker.engine.bypass.BypassRelay;
import io.streammix.worker.engine.input.RunningInputs;
import io.streammix.worker.engine.mix.InputSlot;
import io.streammix.worker.engine.mix.MixClock;
import io.streammix.worker.engine.mix.Timeline;
import io.streammix.worker.engine.output.OutputWorker;
import io.streammix.worker.engine.output.OutputWorkers;
import io.streammix.worker.engine.output.SharedAudioEncodes;
import io.streammix.worker.engine.output.sink.OutputSink;
import io.streammix.worker.engine.output.sink.OutputSinks;
import io.streammix.worker.engine.scene.MixPlan;
import io.streammix.worker.engine.scene.Scene;
import io.streammix.worker.engine.sei.SeiFeed;
import io.streammix.worker.engine.source.InputSource;
import io.streammix.worker.engine.status.InputFigures;
import io.streammix.worker.engine.status.MixFigures;
import io.streammix.worker.engine.status.OutputFigures;
import io.streammix.worker.engine.status.TaskState;
import io.streammix.worker.engine.update.OutputChanges;
import io.streammix.worker.engine.update.SpecWarnings;
import io.streammix.worker.playback.LiveStreams;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The mixer of one task: input threads, the output clock, output threads, and the {@link MixPlan} they share.
 * {@link #apply} swaps in a new spec: the plan is replaced between two ticks; inputs whose source changed are
 * restarted, others keep running; outputs are matched by identity and only those whose encoding or destination
 * changed are reopened (an H.264 bitrate change reconfigures the running encoder instead, see {@link OutputChanges}).
 */
public final class MixEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MixEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param outputDir where relative output files are written
     * @param streamUrl pull URL of an input streamId (the operator's template), or null
     * @param hlsDir    where outputs published on the media port write their HLS ({@code <hlsDir>/<key>/})
     * @param streams   what the media port serves; the engine's outputs publish into it
     */
    public record Config(Path outputDir, Function<String, String> streamUrl, Path hlsDir, LiveStreams streams, FileAccess files) {
        /** HLS under {@code <outputDir>/hls}, a fresh set of live streams. */
        public Config(Path outputDir, Function<String, String> streamUrl) {
            this(outputDir, streamUrl, outputDir.resolve("hls"), new LiveStreams());
        }

        /** Files anywhere (the local run, tests). */
        public Config(Path outputDir, Function<String, String> streamUrl, Path hlsDir, LiveStreams streams) {
            this(outputDir, streamUrl, hlsDir, streams, FileAccess.ANYWHERE);
        }

        public Config withFiles(FileAccess access) {
            return new Config(outputDir, streamUrl, hlsDir, streams, access);
        }
    }

    private final Config config;
    private final Scene scene = new Scene(this::imagesArrived);
    /** The base message of the last applied update (what it did to the outputs), before image notes. */
    private String appliedDone;
    private final Timeline timeline = new Timeline();
    /** Audio encoders shared by the outputs that encode the audio the same way (a ladder's rungs). */
    private final SharedAudioEncodes audioEncodes = new SharedAudioEncodes();
    private final Instant startedAt = Instant.now();
    private volatile Map<String, InputSlot> slots = Map.of();
    private volatile List<OutputWorker> outputs = List.of();
    /** The running outputs by identity (see OutputChanges); only touched under the engine's lock. */
    private Map<String, OutputWorker> outputsById = Map.of();
    private final RunningInputs inputs;
    private final MixClock clock;
    private final SeiFeed sei = new SeiFeed(scene::plan, () -> slots);
    /** Non-null when the task is bypassed: its input's packets go to the outputs as they are (no clock, no encoders). */
    private volatile BypassRelay bypass;
    private volatile long generation;
    private volatile MixTaskSpec spec;
    private volatile WorkerReport.UpdateResult lastUpdate;
    /** Upload keys of the running outputs by output name, and the digest of the submission they came with. */
    private volatile Map<String, SpecSubmission.S3Credentials> credentials = Map.of();
    private volatile String digest;
    private volatile boolean stopping;
    private final List<String> specWarnings = new ArrayList<>();

    private MixEngine(Config config) {
        this.config = config;
        this.clock = new MixClock(timeline, scene::plan, () -> slots, () -> outputs, scene::drawn);
        this.inputs = new RunningInputs(scene::plan, timeline, config.streamUrl());
    }

    /** Validates and starts mixing {@code submission}; throws IllegalArgumentException listing violations. */
    public static MixEngine start(SpecSubmission submission, Config config) {
        List<Violation> v = new ArrayList<>(SpecValidator.validateAnyFiles(submission.spec()));
        if (v.isEmpty()) {
            submission = confined(submission, config.files(), v);
        }
        if (!v.isEmpty()) {
            throw new IllegalArgumentException("invalid spec: " + v);
        }
        MixEngine e = new MixEngine(config);
        if (!BypassRelay.applies(submission.spec())) {
            e.scene.awaitImages(submission.spec()); // so that a local image is in the first frame
        }
        synchronized (e) {
            if (BypassRelay.applies(submission.spec())) {
                e.installBypass(submission);
            } else {
                e.install(submission);
                e.clock.start();
            }
        }
        return e;
    }

    /**
     * A copy of {@code submission} whose file URLs the worker may open ({@link FileAccess}: relative paths made absolute
     * under the output directory in a pod); violations are added to {@code v}.
     */
    private static SpecSubmission confined(SpecSubmission submission, FileAccess files, List<Violation> v) {
        if (!files.confined()) {
            return submission;
        }
        MixTaskSpec copy = COPY.convertValue(submission.spec(), MixTaskSpec.class);
        v.addAll(files.confine(copy));
        return new SpecSubmission(submission.generation(), copy, submission.uploadCredentials(), submission.digest());
    }

    private static final ObjectMapper COPY = new ObjectMapper();

    /**
     * Applies a new spec; returns the violations (nothing changes) or an empty list when applied. Background and
     * watermark images load on the {@code image-loader} thread ({@link Scene}): an edit waits for them at most {@link
     * Scene#IMAGE_WAIT_MS} (so a local image, or one refused over {@code MediaLimits}, is decided at once) and never under
     * the engine's lock; a slower image is swapped in between two ticks when it is in, the previous one staying on screen.
     */
    public List<Violation> apply(SpecSubmission submission) {
        List<Violation> v = new ArrayList<>(SpecValidator.validateAnyFiles(submission.spec()));
        if (v.isEmpty()) {
            submission = confined(submission, config.files(), v);
        }
        if (v.isEmpty() && !BypassRelay.applies(submission.spec())) {
            scene.awaitImages(submission.spec());
            v.addAll(scene.tooLarge(submission.spec()));
        }
        synchronized (this) {
            if (!v.isEmpty()) {
                lastUpdate = new WorkerReport.UpdateResult(submission.generation(), "Failed",
                        v.stream().map(Violation::toString).reduce((a, b) -> a + "; " + b).orElse(""));
                return v;
            }
            return applyChecked(submission);
        }
    }

    private List<Violation> applyChecked(SpecSubmission submission) {
        if (spec != null && spec.seq != null && submission.spec().seq != null && submission.spec().seq < spec.seq) {
            Violation stale = new Violation("spec.seq", "must not go back: " + submission.spec().seq + " < applied " + spec.seq);
            lastUpdate = new WorkerReport.UpdateResult(submission.generation(), "Failed", stale.toString());
            return List.of(stale);
        }
        if (BypassRelay.applies(submission.spec()) != (bypass != null)) {
            Violation mode = new Violation("spec.bypass", "changing it needs a worker restart; this worker keeps its current mode");
            lastUpdate = new WorkerReport.UpdateResult(submission.generation(), "Failed", mode.toString());
            return List.of(mode);
        }
        String done;
        if (bypass != null) {
            done = installBypass(submission);
        } else {
            done = install(submission);
        }
        appliedDone = done;
        lastUpdate = new WorkerReport.UpdateResult(submission.generation(), "Applied",
                bypass != null ? done : done + scene.notes(submission.spec()));
        return List.of();
    }

    /** Installs a spec and says what it did to the outputs ("live", or which outputs were touched). */
    private String install(SpecSubmission submission) {
        MixTaskSpec next = submission.spec();
        OutputChanges.Plan outs = OutputChanges.between(spec, next)
                .reopening(spec == null ? Set.of() : OutputChanges.newCredentials(next, credentials, submission.uploadCredentials()));
        // Outputs that go away or are reopened leave the clock first, so no frame of the new plan reaches them;
        // a reopened network output is closed before it connects again (never two publishers of one stream).
        List<OutputWorker> leaving = new ArrayList<>();
        outs.removed().forEach(id -> leaving.add(outputsById.get(id)));
        outs.steps().stream().filter(s -> s.action() == OutputChanges.Action.RESTART)
                .forEach(s -> leaving.add(outputsById.get(s.identity())));
        leaving.removeIf(Objects::isNull);
        if (!leaving.isEmpty()) {
            outputs = outputs.stream().filter(o -> !leaving.contains(o)).toList();
            OutputWorkers.stopAll(leaving);
        }
        // The plan first, so that inputs started below scale for their new rects at once.
        scene.install(next, submission.generation());
        sei.update(next);
        slots = inputs.reconcile(next.inputs);
        Map<String, OutputWorker> byId = new LinkedHashMap<>();
        for (OutputChanges.Step step : outs.steps()) {
            OutputWorker w = switch (step.action()) {
                case KEEP -> outputsById.get(step.identity());
                case NEW_BITRATE -> {
                    OutputWorker kept = outputsById.get(step.identity());
                    kept.requestBitrate(step.spec().video.bitrate, timeline.now());
                    yield kept;
                }
                case RESTART, ADD -> {
                    MixOutput o = step.spec();
                    OutputWorker started = newOutput(o, step.index(), submission.uploadCredentials().get(o.displayName(step.index())));
                    started.sei(sei);
                    started.start();
                    yield started;
                }
            };
            byId.put(step.identity(), w);
        }
        outputsById = byId;
        outputs = List.copyOf(byId.values()); // spec order, for status
        spec = next;
        generation = submission.generation();
        credentials = submission.uploadCredentials();
        digest = submission.digest();
        specWarnings.clear();
        specWarnings.addAll(SpecWarnings.of(next, BypassRelay.applies(next)));
        return outs.summary();
    }

    /** Bypass: (re)starts the relay when its input or outputs changed; other fields do not apply to it. */
    private String installBypass(SpecSubmission submission) {
        MixTaskSpec next = submission.spec();
        boolean changed = spec == null || !json(spec.outputs).equals(json(next.outputs)) || !json(spec.inputs.get(0)).equals(json(next.inputs.get(0)));
        if (changed) {
            if (bypass != null) {
                bypass.close();
            }
            MixInput in = next.inputs.get(0);
            String name = in.displayName(0);
            InputSource source = null;
            String refused = null;
            try {
                source = InputSource.of(in, config.streamUrl());
            } catch (IllegalArgumentException ex) {
                refused = ex.getMessage();
            }
            bypass = new BypassRelay(in, name, source, next.outputs, config.outputDir(), config.hlsDir(), config.streams());
            if (refused != null) {
                bypass.slot.lost(refused);
            }
            slots = Map.of(name, bypass.slot);
            bypass.start();
        }
        spec = next;
        generation = submission.generation();
        digest = submission.digest();
        specWarnings.clear();
        specWarnings.addAll(SpecWarnings.of(next, BypassRelay.applies(next)));
        return changed ? "bypass relay restarted" : "live";
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            return String.valueOf(o);
        }
    }

    /** @param credentials S3 keys of the output's recording upload (resolved by the operator), or null */
    private OutputWorker newOutput(MixOutput o, int i, SpecSubmission.S3Credentials credentials) {
        try {
            List<OutputSink> sinks = OutputSinks.of(o, i, config.outputDir(), config.hlsDir(), config.streams(), credentials);
            return new OutputWorker(o, i, sinks, null, audioEncodes);
        } catch (IllegalArgumentException e) {
            // A URL the worker cannot write to fails this output only, with the reason in its status.
            return new OutputWorker(o, i, List.of(), "spec.outputs[" + i + "].url: " + e.getMessage(), audioEncodes);
        }
    }

    /** What this engine's outputs publish on the media port. */
    public LiveStreams liveStreams() {
        return config.streams();
    }

    /** An image came in (or failed): the running spec's plan again, and the update's message says so. */
    private synchronized void imagesArrived() {
        if (stopping || bypass != null || spec == null) {
            return;
        }
        scene.refresh(spec, generation);
        WorkerReport.UpdateResult last = lastUpdate;
        if (last != null && last.generation() == generation && "Applied".equals(last.result()) && appliedDone != null) {
            lastUpdate = new WorkerReport.UpdateResult(generation, "Applied", appliedDone + scene.notes(spec));
        }
    }

    private void stopOutputs() {
        OutputWorkers.stopAll(outputs);
        outputs = List.of();
        outputsById = Map.of();
    }

    /** Seconds since mixing started. */
    public double mixSeconds() {
        return timeline.now();
    }

    public WorkerReport report() {
        List<WorkerReport.Input> ins = new ArrayList<>();
        slots.values().forEach(s -> ins.add(s.report()));
        List<WorkerReport.Output> outs = bypass != null ? bypass.reports() : outputs.stream().map(OutputWorker::report).toList();
        String state = TaskState.of(stopping, ins, outs);
        List<String> warnings = new ArrayList<>(specWarnings);
        outputs.forEach(o -> warnings.addAll(o.warnings()));
        BypassRelay relay = bypass;
        if (relay != null) {
            relay.outputs().forEach(o -> warnings.addAll(o.warnings()));
        }
        MixTaskSpec s = spec;
        if (s != null && bypass == null) {
            warnings.addAll(scene.warnings(s));
        }
        return new WorkerReport(state, startedAt.toString(), (long) timeline.now(), generation, s == null ? null : s.seq,
                ins, outs, warnings.isEmpty() ? null : warnings, scene.withAppliedAt(lastUpdate), digest);
    }

    /** The figures of the mix, its inputs and outputs (spec order), for a metrics scrape. */
    public MixFigures figures() {
        double now = timeline.now();
        List<InputFigures> ins = slots.values().stream().map(s -> s.figures(now, Timeline.JITTER)).toList();
        BypassRelay b = bypass;
        List<OutputFigures> outs = b != null ? b.outputs().stream().map(BypassOutput::figures).toList()
                : outputs.stream().map(OutputWorker::figures).toList();
        return new MixFigures(now, clock.videoTicks(), clock.skippedTicks(), clock.tickLatenessSeconds(), ins, outs);
    }

    /** Input sound levels by input name (0..100), refreshed every 100 ms. */
    public Map<String, Integer> soundLevels() {
        Map<String, Integer> m = new LinkedHashMap<>();
        slots.values().forEach(s -> m.put(s.name, s.level()));
        return m;
    }

    /** Stops everything; outputs flush their encoders and write their trailers. An image download is broken off at once. */
    @Override
    public void close() {
        scene.stopLoading();
        synchronized (this) {
            closeLocked();
        }
    }

    private void closeLocked() {
        if (stopping) {
            return;
        }
        stopping = true;
        LOG.info("stopping the mix");
        inputs.stopAll();
        if (bypass != null) {
            bypass.close();
        }
        try {
            clock.stop();
            stopOutputs();
            inputs.joinAll(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scene.close();
    }
}
