package io.streammix.worker.engine.output;

import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.mix.Canvases;
import io.streammix.worker.engine.mix.MixSink;
import io.streammix.worker.engine.output.sink.OutputSink;
import io.streammix.worker.engine.output.sink.OutputSinks;
import io.streammix.worker.engine.output.sink.UrlSink;
import io.streammix.worker.engine.sei.SeiFeed;
import io.streammix.worker.engine.sei.SeiStamper;
import io.streammix.worker.engine.status.OutputFigures;
import io.streammix.worker.engine.status.OutputHealth;
import io.streammix.worker.media.Encoder;
import io.streammix.worker.media.Frames;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.recording.RecordingFiles;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;

/**
 * Encodes one output on its own thread and writes the packets to its sinks ({@link OutputSink}: a URL or file,
 * or the worker's own HLS and HTTP-FLV streams; encoded once, muxed once per sink). The output clock hands it
 * canvas frames (by reference, no copy) and mixed audio through a bounded queue; when the queue is full the newest
 * item is dropped, so a slow output or a dead server never holds up the clock or the other outputs. Network sinks
 * reconnect with backoff while encoding goes on (timestamps stay on the mix timeline); files are fragmented MP4 by
 * default and get their trailer on stop. A codec the container cannot hold, or an encoder the build lacks, fails
 * this output only, with a reason naming the field. Its audio packets come from an encoder it may share with other
 * outputs ({@link SharedAudioEncodes}): it feeds that encoder the chunks it takes and gets the packets in its queue.
 */
public final class OutputWorker implements Runnable, MixSink {
    private static final Logger LOG = Logger.getLogger(OutputWorker.class);
    /** How long a stopping output waits for the upload of its last recording files. */
    private static final long UPLOAD_DRAIN_MS = 15_000; // within the 2 x 10 s MixEngine waits for a stopping output
    /** How long a stopping output waits for the audio packets of its last chunks (a frame or two, ~50 ms, normally). */
    private static final long AUDIO_DRAIN_MS = 2_000;

    private sealed interface Item permits Video, Audio, AudioPacket, Stop {
    }

    private record Video(AVFrame frame, double time) implements Item {
    }

    private record Audio(short[] samples, long pos, int frames) implements Item {
    }

    /** A packet of the (shared) audio encoder, this output's own reference. */
    private record AudioPacket(AVPacket packet) implements Item {
    }

    private record Stop() implements Item {
    }

    public final String name;
    /** State and counters, for status and metrics. */
    final OutputHealth health;
    private final MixOutput spec;
    private final int index;
    private final List<OutputSink> sinks;
    private final String setupError;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(512);
    /** Set once the output thread has ended: frames offered later are not queued (they would never be freed). */
    private volatile boolean finished;
    private final Interrupter interrupter = new Interrupter();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private volatile Thread thread;
    private final MeasuredBitrate bitrate = new MeasuredBitrate();
    private final LiveBitrate liveBitrate;
    /** Nanoseconds spent writing packets to the sinks, so the encode time can leave them out. */
    private long writeNanos;

    private Encoder video;
    /** This output's place at the audio encoder it shares with the outputs that encode the same audio. */
    private AudioSubscriber audio;
    private final SharedAudioEncodes audioEncodes;
    private final OutputPicture picture;
    private long lastVideoPts = Long.MIN_VALUE;
    private boolean needKeyframe;
    private SeiFeed seiFeed = SeiFeed.NONE;
    private SeiStamper sei;
    /** Files of a file output: listed in the report, uploaded when asked (null for network outputs). */
    private volatile RecordingFiles recording;

    /**
     * @param sinks      where the packets go (each its own muxer)
     * @param setupError when not null, this output cannot run (e.g. an unsupported URL): it reports Failed with it
     */
    public OutputWorker(MixOutput spec, int index, List<OutputSink> sinks, String setupError, SharedAudioEncodes audioEncodes) {
        this.spec = spec;
        this.audioEncodes = audioEncodes;
        this.index = index;
        this.name = spec.displayName(index);
        this.picture = new OutputPicture(name);
        this.health = new OutputHealth(name);
        this.sinks = List.copyOf(sinks);
        this.setupError = setupError;
        this.liveBitrate = new LiveBitrate(spec.hasVideo() && spec.video.bitrate != null ? spec.video.bitrate : 0);
        if (spec.audio != null && spec.audio.codecOrDefault() == AudioCodec.HE_AAC) {
            warnings.add("output " + name + ": HE_AAC is not encodable with the bundled FFmpeg; encoding AAC-LC instead");
        }
    }

    /** What this output's video carries as SEI (userData, sound levels); call before {@link #start()}. */
    public OutputWorker sei(SeiFeed feed) {
        this.seiFeed = feed;
        return this;
    }

    public List<String> warnings() {
        List<String> all = new ArrayList<>(warnings);
        sinks.stream().map(OutputSink::givenUp).filter(java.util.Objects::nonNull).forEach(w -> all.add("output " + name + ": " + w));
        return all;
    }

    public void start() {
        thread = new Thread(this, "output-" + name);
        thread.start();
    }

    /** Takes a reference to the canvas of this output's size, or the canvas (no copy); drops it when this output is behind. */
    @Override
    public void offerVideo(Canvases canvases, double time) {
        if (!spec.hasVideo() || finished) {
            return;
        }
        // The encoder's size (OutputCodecs rounds it even); another canvas is scaled to it (OutputPicture).
        AVFrame ref = av_frame_clone(spec.video.width == null || spec.video.height == null ? canvases.canvas()
                : canvases.forSize((spec.video.width + 1) & ~1, (spec.video.height + 1) & ~1));
        if (!queue.offer(new Video(ref, time))) {
            Frames.free(ref);
            health.videoDropped();
        } else if (finished) {
            // The thread ended (and drained) between the check and the offer: nobody else will free it.
            drain();
        }
    }

    @Override
    public void offerAudio(short[] samples, long pos, int n) {
        if (!queue.offer(new Audio(samples, pos, n))) {
            health.itemDropped();
        }
    }

    /** A new video bitrate from {@code fromTime} on the mix timeline, without reopening anything (see {@link LiveBitrate}). */
    public void requestBitrate(int bitsPerSecond, double fromTime) {
        liveBitrate.request(bitsPerSecond, fromTime);
    }

    /** Asks the thread to flush and finish, then waits up to {@code millis}. */
    public void stop(long millis) throws InterruptedException {
        while (!queue.offer(new Stop())) {
            free(queue.poll());
        }
        Thread t = thread;
        if (t != null) {
            t.join(millis);
            if (t.isAlive()) {
                interrupter.stop();
                t.join(millis);
            }
        }
    }

    @Override
    public void run() {
        try {
            if (setupError != null) {
                throw new IllegalArgumentException(setupError);
            }
            for (OutputSink sink : sinks) {
                if (sink instanceof UrlSink u && u.target().recording() != null) {
                    recording = RecordingFiles.start(u.target().recording(), name);
                }
            }
            openEncoders();
            openSinks();
            bitrate.start(System.nanoTime());
            Item item;
            while (!((item = queue.poll(200, TimeUnit.MILLISECONDS)) instanceof Stop)) {
                serve(item);
            }
            flush();
        } catch (RuntimeException | InterruptedException e) {
            if (audio != null) {
                audio.abandon();
            }
            setState(WorkerReport.Output.FAILED, e.getMessage());
            LOG.errorf("output %s (%s) failed: %s", name, OutputSinks.safeNames(sinks), e.getMessage());
        } finally {
            sinks.forEach(sink -> sink.close(name));
            if (audio != null) {
                audio.release(); // after the sinks: their muxers were set up from the shared encoder's context
            }
            if (recording != null) {
                recording.outputClosed(UPLOAD_DRAIN_MS);
                recording.close();
            }
            release();
            finished = true;
            drain();
        }
    }

    /**
     * Encodes one queued item (null: none came), then tends the sinks and the bitrate figure. A method of its own so
     * that the JIT compiles it (as MixClock.step: a loop entered once stays interpreted for minutes).
     */
    private void serve(Item item) {
        if (item instanceof Video v) {
            try {
                encodeVideo(v);
            } finally {
                Frames.free(v.frame());
            }
        } else if (item instanceof Audio a) {
            audio.feed(a.samples(), a.pos(), a.frames());
        } else if (item instanceof AudioPacket p) {
            writeAudio(p);
        }
        if (audio.failure() != null) {
            throw new IllegalStateException(audio.failure());
        }
        for (OutputSink sink : sinks) {
            if (sink.reconnectIfDue(interrupter, name)) {
                needKeyframe = true; // the new connection starts on a fresh keyframe
            }
        }
        updateState();
        long now = System.nanoTime();
        sinks.forEach(sink -> sink.measure(now));
        bitrate.update(health.bytes(), now);
    }

    /** Frees what is still queued; safe from any thread (each item is polled once). */
    private void drain() {
        Item left;
        while ((left = queue.poll()) != null) {
            free(left);
        }
    }

    private static void free(Item item) {
        if (item instanceof Video v) {
            Frames.free(v.frame());
        } else if (item instanceof AudioPacket p) {
            av_packet_free(p.packet());
        }
    }

    private void openEncoders() {
        Set<String> formats = new LinkedHashSet<>();
        sinks.forEach(sink -> formats.add(sink.format()));
        AudioCodec acodec = OutputCodecs.audioCodec(spec, formats.iterator().next());
        OutputCodecs.check(spec, index, acodec, formats);
        if (spec.hasVideo()) {
            video = OutputCodecs.openVideo(spec, index, name);
            sei = new SeiStamper(seiFeed, spec.video.fps, Encoder.gopFrames(spec.video.fps), spec.video.codecOrDefault() != VideoCodec.H265);
        }
        audio = audioEncodes.join(spec, index, acodec, name, this, firstQueuedAudio(), this::queueAudioPacket);
    }

    /** Where this output's audio starts: its first queued chunk (queued while it opened), else MIN_VALUE. */
    private long firstQueuedAudio() {
        for (Item i : queue) {
            if (i instanceof Audio a) {
                return a.pos();
            }
        }
        return Long.MIN_VALUE;
    }

    /** Called on the audio encoder's thread with this output's own reference. */
    private void queueAudioPacket(AVPacket pkt) {
        if (finished || !queue.offer(new AudioPacket(pkt))) {
            av_packet_free(pkt);
            health.itemDropped();
        } else if (finished) {
            drain();
        }
    }

    private void openSinks() {
        List<Encoder> encoders = video == null ? List.of(audio.encoder()) : List.of(video, audio.encoder());
        var streams = io.streammix.worker.media.Muxer.Streams.encoded(encoders, name);
        for (OutputSink sink : sinks) {
            sink.open(streams, interrupter, name);
        }
        needKeyframe = true;
        updateState();
    }

    /** Live while every sink writes; Reconnecting (with the first sink's reason) while one is retrying. */
    private void updateState() {
        String problem = OutputSinks.problem(sinks);
        setState(problem == null ? WorkerReport.Output.LIVE : WorkerReport.Output.RECONNECTING, problem);
    }

    private void encodeVideo(Video v) {
        long pts = Math.round(v.time() * spec.video.fps);
        if (pts <= lastVideoPts) {
            return; // this output runs at a lower rate than the canvas
        }
        lastVideoPts = pts;
        int newRate = liveBitrate.applyIfDue(video.context(), spec.video.rateControlOrDefault(), v.time());
        if (newRate > 0) {
            LOG.infof("output %s: video bitrate now %d bps", name, newRate);
        }
        AVFrame f = v.frame();
        // The canvas size follows the first video output, which a live update may reopen with another size.
        f = picture.fit(f, video.context().width(), video.context().height());
        f.pts(pts);
        // Keyframes on a fixed cadence, and SEI (SeiStamper); after a reconnect the new connection must start on a keyframe.
        sei.stamp(f, needKeyframe, pts);
        needKeyframe = false;
        long began = System.nanoTime();
        long writing = writeNanos;
        video.encode(f, pkt -> write(0, sei.packet(pkt)));
        // The encoder's own time: the packets' writes (muxers, network) happen inside encode's callback.
        health.encoded(System.nanoTime() - began - (writeNanos - writing));
        health.frameWritten();
    }

    private void writeAudio(AudioPacket p) {
        try {
            write(video == null ? 0 : 1, p.packet());
        } finally {
            av_packet_free(p.packet());
        }
    }

    /** Writes one encoded packet to every sink (each takes its own reference). */
    private void write(int stream, AVPacket pkt) {
        boolean isVideo = video != null && stream == 0;
        long began = System.nanoTime();
        long wrote = 0;
        for (OutputSink sink : sinks) {
            wrote = Math.max(wrote, sink.write(stream, pkt, isVideo, name));
        }
        health.addBytes(wrote);
        writeNanos += System.nanoTime() - began;
    }

    /** Flushes the video encoder, then writes the audio packets of the last chunks (the shared encoder delays them). */
    private void flush() throws InterruptedException {
        if (video != null) {
            video.encode(null, pkt -> write(0, sei.packet(pkt)));
        }
        audio.finish(AUDIO_DRAIN_MS);
        Item left;
        while ((left = queue.poll()) != null) {
            if (left instanceof AudioPacket p) {
                writeAudio(p);
            } else {
                free(left);
            }
        }
    }

    private void release() {
        if (video != null) {
            video.close();
        }
        picture.close();
        interrupter.close();
    }

    private void setState(String s, String why) {
        health.set(s, why);
    }

    public OutputFigures figures() {
        RecordingFiles r = recording;
        long audioTarget = spec.audio == null ? new io.streammix.api.v1alpha1.AudioEncoding().bitrateOrDefault() : spec.audio.bitrateOrDefault();
        return health.figures(bitrate.measured(), liveBitrate.target() + audioTarget, OutputStatus.reconnects(sinks),
                r == null ? 0 : r.files().size(), r == null ? null : r.uploads()).withSinks(sinks.stream().map(OutputSink::figures).toList());
    }

    public WorkerReport.Output report() {
        RecordingFiles r = recording;
        return health.report(bitrate.value(), OutputStatus.files(sinks, r), r == null ? null : r.uploads());
    }
}
