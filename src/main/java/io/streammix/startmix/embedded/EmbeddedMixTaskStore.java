package io.streammix.startmix.embedded;

import io.streammix.local.LocalResolver;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.Phase;
import io.streammix.api.v1alpha1.PlayInfo;
import io.streammix.api.validation.UrlPolicy;
import io.streammix.api.validation.Violation;
import io.streammix.startmix.MixTaskStore;
import io.streammix.operator.spec.InvalidSpecException;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.MixEngine;
import io.streammix.worker.playback.LiveStreams;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start-mix API's tasks without a cluster: each MixTask is mixed in this process by the worker engine, as the
 * local run mixes one (stream-id inputs through {@code --input-url-template}); every output is played by one shared
 * media port under its key (streamId, else name), so two tasks may not publish the same key. An update is handed to
 * the running engine (live fields applied between two frames, as a worker applies them); a change the engine cannot
 * take live (bypass on or off) restarts that task's engine.
 */
public final class EmbeddedMixTaskStore implements MixTaskStore, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedMixTaskStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

    private record Running(MixTask task, MixEngine engine, long generation, List<String> keys, String applied) {
    }

    private final Path outDir;
    private final String inputUrlTemplate;
    private final int maxFps;
    private final String playBase;
    private final LiveStreams streams;
    private final Map<String, Running> tasks = new LinkedHashMap<>();
    private long resourceVersion;

    /**
     * @param outDir           where file outputs and the media port's HLS go
     * @param inputUrlTemplate pull URL of stream-id inputs ({streamId}), or null (such inputs are refused)
     * @param maxFps           the highest output fps accepted (the operator's mixtask.max-fps)
     * @param playBase         the media port as players reach it, e.g. http://127.0.0.1:8080
     * @param streams          what the media port serves
     */
    public EmbeddedMixTaskStore(Path outDir, String inputUrlTemplate, int maxFps, String playBase, LiveStreams streams) {
        this.outDir = outDir;
        this.inputUrlTemplate = inputUrlTemplate;
        this.maxFps = maxFps;
        this.playBase = playBase;
        this.streams = streams;
    }

    @Override
    public synchronized Optional<MixTask> get(String namespace, String name) {
        Running r = tasks.get(namespace + "/" + name);
        if (r == null) {
            return Optional.empty();
        }
        MixTask copy = copy(r.task());
        WorkerReport report = r.engine().report();
        MixTaskStatus status = new MixTaskStatus();
        status.mixDuration = report.mixDurationSeconds();
        status.appliedSeq = report.seq();
        status.appliedGeneration = report.generation();
        status.phase = WorkerReport.FAILED.equals(report.state()) ? Phase.Failed
                : WorkerReport.DEGRADED.equals(report.state()) ? Phase.Degraded : Phase.Running;
        status.play = play(copy);
        copy.setStatus(status);
        return Optional.of(copy);
    }

    @Override
    public synchronized int count(String namespace, String label, String value) {
        return (int) tasks.values().stream().map(Running::task)
                .filter(t -> namespace.equals(t.getMetadata().getNamespace()) && t.getMetadata().getLabels() != null
                        && value.equals(t.getMetadata().getLabels().get(label)))
                .count();
    }

    @Override
    public synchronized MixTask create(MixTask task) {
        String key = key(task);
        if (tasks.containsKey(key)) {
            throw new Conflict("exists already");
        }
        MixTaskSpec resolved = resolve(task);
        MixTask stored = stored(task, 1);
        MixEngine engine = MixEngine.start(new SpecSubmission(1, resolved), config());
        tasks.put(key, new Running(stored, engine, 1, keys(task.getSpec()), null));
        LOG.infof("mixing %s: %s", key, describePlay(stored));
        return copy(stored);
    }

    @Override
    public synchronized MixTask update(MixTask task) {
        String key = key(task);
        Running r = tasks.get(key);
        if (r == null || !r.task().getMetadata().getResourceVersion().equals(task.getMetadata().getResourceVersion())) {
            throw new Conflict(r == null ? "deleted meanwhile" : "changed meanwhile");
        }
        MixTaskSpec resolved = resolve(task);
        long generation = r.generation() + 1;
        MixTask stored = stored(task, generation);
        List<Violation> refused = r.engine().apply(new SpecSubmission(generation, resolved));
        MixEngine engine = r.engine();
        if (!refused.isEmpty()) {
            if (!refused.get(0).field().equals("spec.bypass")) {
                throw new Refused(refused.get(0).field(), refused.get(0).rule());
            }
            // Bypass on or off: a worker restart in a cluster; here a new engine for this task.
            r.engine().close();
            engine = MixEngine.start(new SpecSubmission(generation, resolved), config());
        }
        String applied = engine.report().lastUpdate() == null ? "live; the task's mix restarted (bypass on or off)"
                : engine.report().lastUpdate().message();
        tasks.put(key, new Running(stored, engine, generation, keys(task.getSpec()), applied));
        LOG.infof("updated %s (generation %d): %s", key, generation, applied);
        return copy(stored);
    }

    @Override
    public Optional<Stopped> delete(String namespace, String name) {
        Running r;
        synchronized (this) {
            r = tasks.remove(namespace + "/" + name);
        }
        if (r == null) {
            return Optional.empty();
        }
        r.engine().close(); // flushes the outputs: files stay playable; the media port's HLS and FLV buffers go
        long duration = r.engine().report().mixDurationSeconds();
        LOG.infof("stopped %s/%s after %d s", namespace, name, duration);
        return Optional.of(new Stopped(duration));
    }

    @Override
    public synchronized String lastApplied(String namespace, String name) {
        Running r = tasks.get(namespace + "/" + name);
        return r == null ? null : r.applied();
    }

    @Override
    public List<Violation> notes(MixTask task, List<PlayInfo> play) {
        return EmbeddedNotes.of(task, inputUrlTemplate, play);
    }

    @Override
    public synchronized List<PlayInfo> admit(MixTask task) throws InvalidSpecException {
        MixTaskSpec resolved = LocalResolver.resolve(task, inputUrlTemplate, Map.of());
        for (int i = 0; i < resolved.inputs.size(); i++) {
            checkScheme("spec.inputs[" + i + "].url", resolved.inputs.get(i).url, UrlPolicy.INPUT_SCHEMES, "pull from");
        }
        for (int i = 0; i < resolved.outputs.size(); i++) {
            MixOutput out = resolved.outputs.get(i);
            if (out.video != null && out.video.fps > maxFps) {
                throw new InvalidSpecException("spec.outputs[" + i + "].video.fps", "must be at most " + maxFps
                        + " on this server (got " + out.video.fps + "; --max-fps raises the cap)");
            }
            if (out.url != null) {
                checkScheme("spec.outputs[" + i + "].url", out.url, UrlPolicy.OUTPUT_SCHEMES, "push to");
            }
        }
        List<String> keys = keys(task.getSpec());
        for (Map.Entry<String, Running> e : tasks.entrySet()) {
            if (e.getKey().equals(key(task))) {
                continue;
            }
            for (int i = 0; i < keys.size(); i++) {
                if (e.getValue().keys().contains(keys.get(i))) {
                    // Never the other task's namespace or name: it may be another tenant's.
                    throw new InvalidSpecException("spec.outputs[" + i + "].streamId", "'" + keys.get(i)
                            + "' is already played by another task on this server's media port; choose another stream_id");
                }
            }
        }
        return play(task);
    }

    /**
     * The play URLs of a task's outputs on the shared media port, as LocalRun prints them; an output pushed to an
     * RTMP server also plays there (an RTMP server plays what is published to it at the same address).
     */
    private List<PlayInfo> play(MixTask task) {
        List<PlayInfo> play = new ArrayList<>();
        List<String> keys = keys(task.getSpec());
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            PlayInfo p = new PlayInfo();
            p.rtmpUrl = EmbeddedNotes.rtmpPlay(task.getSpec().outputs.get(i).url);
            p.streamId = key;
            p.streamAlias = key;
            p.flvUrl = playBase + "/live/" + key + ".flv";
            p.hlsUrl = playBase + "/live/" + key + "/index.m3u8";
            play.add(p);
        }
        return play;
    }

    private static List<String> keys(MixTaskSpec spec) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < spec.outputs.size(); i++) {
            MixOutput o = spec.outputs.get(i);
            keys.add(o.streamId != null ? o.streamId : o.displayName(i));
        }
        return keys;
    }

    private MixTaskSpec resolve(MixTask task) {
        try {
            return LocalResolver.resolve(task, inputUrlTemplate, Map.of());
        } catch (InvalidSpecException e) {
            String prefix = e.field() + ": ";
            throw new Refused(e.field(), e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage());
        }
    }

    private MixEngine.Config config() {
        return new MixEngine.Config(outDir, null, outDir.resolve("hls"), streams);
    }

    private MixTask stored(MixTask task, long generation) {
        MixTask stored = copy(task);
        stored.setStatus(null);
        stored.getMetadata().setResourceVersion(String.valueOf(++resourceVersion));
        stored.getMetadata().setGeneration(generation);
        if (stored.getMetadata().getUid() == null) {
            stored.getMetadata().setUid(java.util.UUID.randomUUID().toString());
        }
        return stored;
    }

    private String describePlay(MixTask task) {
        return String.join("  ", play(task).stream().map(p -> "ffplay " + p.flvUrl).toList());
    }

    private static void checkScheme(String at, String url, java.util.Set<String> allowed, String verb) throws InvalidSpecException {
        Matcher m = SCHEME.matcher(url);
        String scheme = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "file";
        if (!allowed.contains(scheme)) {
            throw new InvalidSpecException(at, "the worker cannot " + verb + " " + scheme + ": URLs");
        }
    }

    private static String key(MixTask task) {
        return task.getMetadata().getNamespace() + "/" + task.getMetadata().getName();
    }

    private static MixTask copy(MixTask task) {
        return JSON.convertValue(task, MixTask.class);
    }

    /** Stops every task (outputs flushed). */
    @Override
    public void close() {
        List<Running> all;
        synchronized (this) {
            all = new ArrayList<>(tasks.values());
            tasks.clear();
        }
        all.forEach(r -> r.engine().close());
    }

    /** Namespace/name of the running tasks. */
    public synchronized List<String> running() {
        return new ArrayList<>(tasks.keySet());
    }

    /** The engine of a running task (tests look at its report). */
    public synchronized Optional<MixEngine> engine(String namespace, String name) {
        return Optional.ofNullable(tasks.get(namespace + "/" + name)).map(Running::engine);
    }
}
