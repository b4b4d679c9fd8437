package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.RateControl;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.worker.control.WorkerReport;
import io.streammix.worker.media.Encoder;
import io.streammix.worker.media.Frames;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.MediaException;
import io.streammix.worker.media.Muxer;
import io.streammix.worker.media.Resampler;
import io.streammix.worker.media.Scaler;
import io.streammix.worker.recording.RecordingFiles;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_reset;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;

/**
 * Encodes and sends one output on its own thread. The output clock hands it canvas frames (by reference,
 * no copy) and mixed audio through a bounded queue; when the queue is full the newest item is dropped, so
 * a slow output or a dead server never holds up the clock or the other outputs. Network outputs reconnect
 * with backoff while encoding goes on (timestamps stay on the mix timeline); files are fragmented MP4 by
 * default and get their trailer on stop.
 */
final class OutputWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger(OutputWorker.class);
    private static final long IO_TIMEOUT_MS = 8_000;
    /** How long a stopping output waits for the upload of its last recording files. */
    private static final long UPLOAD_DRAIN_MS = 15_000; // within the 2 x 10 s MixEngine waits for a stopping output

    private sealed interface Item permits Video, Audio, Stop {
    }

    private record Video(AVFrame frame, double time) implements Item {
    }

    private record Audio(short[] samples, long pos, int frames) implements Item {
    }

    private record Stop() implements Item {
    }

    final String name;
    private final MixOutput spec;
    private final OutputTarget target;
    private final int canvasW;
    private final int canvasH;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(512);
    private final Interrupter interrupter = new Interrupter();
    private final List<String> warnings = new ArrayList<>();
    private volatile Thread thread;
    private volatile String state = WorkerReport.Output.CONNECTING;
    private volatile String reason;
    private volatile Instant since = Instant.now();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long bytes;
    private volatile long bitrate;

    private Encoder video;
    private Encoder audio;
    private Muxer muxer;
    private Scaler scaler;
    private Resampler resampler;
    private AVAudioFifo fifo;
    private AVFrame converted;
    // Reused for every audio chunk: one native buffer instead of an allocation per 21 ms.
    private ShortPointer mixIn = new ShortPointer(MixClock.CHUNK * AudioRing.CHANNELS);
    private final PointerPointer<ShortPointer> mixInPlanes = new PointerPointer<>(1);
    private long lastVideoPts = Long.MIN_VALUE;
    private long nextAudioPts = Long.MIN_VALUE;
    private long expectedAudioPos = Long.MIN_VALUE;
    private boolean needKeyframe;
    private long reconnectAtNanos;
    private long backoffMs = 1000;
    private long bytesBefore;
    /** Files of a file output: listed in the report, uploaded when asked (null for network outputs). */
    private volatile RecordingFiles recording;

    OutputWorker(MixOutput spec, int index, OutputTarget target, int canvasW, int canvasH) {
        this.spec = spec;
        this.name = spec.displayName(index);
        this.target = target;
        this.canvasW = canvasW;
        this.canvasH = canvasH;
        if (spec.audio != null && spec.audio.codecOrDefault() == AudioCodec.HE_AAC) {
            warnings.add("output " + name + ": HE_AAC is not encodable with the bundled FFmpeg; encoding AAC-LC instead");
        }
    }

    List<String> warnings() {
        return warnings;
    }

    boolean hasVideo() {
        return spec.hasVideo();
    }

    void start() {
        thread = new Thread(this, "output-" + name);
        thread.start();
    }

    /** Takes a reference to the canvas (no copy); drops it when this output is behind. */
    void offerVideo(AVFrame canvas, double time) {
        if (!spec.hasVideo()) {
            return;
        }
        AVFrame ref = av_frame_clone(canvas);
        if (!queue.offer(new Video(ref, time))) {
            Frames.free(ref);
            dropped.incrementAndGet();
        }
    }

    void offerAudio(short[] samples, long pos, int n) {
        if (!queue.offer(new Audio(samples, pos, n))) {
            dropped.incrementAndGet();
        }
    }

    /** Asks the thread to flush and finish, then waits up to {@code millis}. */
    void stop(long millis) throws InterruptedException {
        while (!queue.offer(new Stop())) {
            Item old = queue.poll();
            if (old instanceof Video v) {
                Frames.free(v.frame());
            }
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
            if (target.recording() != null) {
                recording = RecordingFiles.start(target.recording(), name);
            }
            openEncoders();
            connect();
            long lastRate = System.nanoTime();
            while (true) {
                Item item = queue.poll(200, TimeUnit.MILLISECONDS);
                if (item instanceof Stop) {
                    break;
                }
                if (item instanceof Video v) {
                    try {
                        encodeVideo(v);
                    } finally {
                        Frames.free(v.frame());
                    }
                } else if (item instanceof Audio a) {
                    encodeAudio(a);
                }
                if (muxer == null && target.network() && System.nanoTime() - reconnectAtNanos > 0) {
                    connect();
                }
                long now = System.nanoTime();
                if (now - lastRate > 2_000_000_000L) {
                    long b = bytes;
                    bitrate = (b - bytesBefore) * 8 * 1_000_000_000L / (now - lastRate);
                    bytesBefore = b;
                    lastRate = now;
                }
            }
            flush();
        } catch (RuntimeException | InterruptedException e) {
            setState(WorkerReport.Output.FAILED, e.getMessage());
            LOG.errorf("output %s (%s) failed: %s", name, target.safeName(), e.getMessage());
        } finally {
            closeMuxer();
            if (recording != null) {
                recording.outputClosed(UPLOAD_DRAIN_MS);
                recording.close();
            }
            release();
            Item left;
            while ((left = queue.poll()) != null) {
                if (left instanceof Video v) {
                    Frames.free(v.frame());
                }
            }
        }
    }

    private void openEncoders() {
        List<Encoder> encs = new ArrayList<>();
        if (spec.hasVideo()) {
            VideoEncoding v = spec.video;
            String codec = v.codecOrDefault() == VideoCodec.H265 ? "libx265" : "libx264";
            Integer crf = v.rateControlOrDefault() == RateControl.CRF ? v.qualityOrDefault() : null;
            int w = (v.width + 1) & ~1;
            int h = (v.height + 1) & ~1;
            video = Encoder.video(new Encoder.VideoSettings(codec, w, h, v.fps, v.bitrate, crf, "veryfast"), name);
            if (w != canvasW || h != canvasH) {
                scaler = new Scaler();
            }
            encs.add(video);
        }
        io.streammix.api.v1alpha1.AudioEncoding a = spec.audio == null ? new io.streammix.api.v1alpha1.AudioEncoding() : spec.audio;
        String acodec = a.codecOrDefault() == AudioCodec.MP3 ? "libmp3lame" : "aac";
        audio = Encoder.audio(acodec, a.bitrateOrDefault(), a.channelsOrDefault(), AudioRing.RATE, name);
        try (AVChannelLayout stereo = Resampler.layout(AudioRing.CHANNELS)) {
            resampler = new Resampler(stereo, AV_SAMPLE_FMT_S16, AudioRing.RATE,
                    audio.context().ch_layout(), audio.context().sample_fmt(), AudioRing.RATE);
        }
        fifo = av_audio_fifo_alloc(audio.context().sample_fmt(), audio.context().ch_layout().nb_channels(), 4096);
        converted = audioFrame(4096);
    }

    private List<Encoder> encoders() {
        List<Encoder> l = new ArrayList<>();
        if (video != null) {
            l.add(video);
        }
        l.add(audio);
        return l;
    }

    private void connect() {
        try {
            if (target.file() != null && target.file().getParent() != null) {
                Files.createDirectories(target.file().getParent());
            }
            muxer = new Muxer(target.format(), target.url(), encoders(), target.muxerOptions(), interrupter, IO_TIMEOUT_MS, name);
            needKeyframe = true;
            backoffMs = 1000;
            setState(WorkerReport.Output.LIVE, null);
            LOG.infof("output %s writing to %s", name, target.safeName());
        } catch (java.io.IOException | MediaException e) {
            if (!target.network()) {
                throw new MediaException(e.getMessage());
            }
            setState(WorkerReport.Output.RECONNECTING, e.getMessage());
            LOG.warnf("output %s (%s): %s; retrying in %d ms", name, target.safeName(), e.getMessage(), backoffMs);
            reconnectAtNanos = System.nanoTime() + backoffMs * 1_000_000;
            backoffMs = Math.min(backoffMs * 2, 16_000);
        }
    }

    private void encodeVideo(Video v) {
        long pts = Math.round(v.time() * spec.video.fps);
        if (pts <= lastVideoPts) {
            return; // this output runs at a lower rate than the canvas
        }
        lastVideoPts = pts;
        AVFrame f = v.frame();
        AVFrame scaled = null;
        if (scaler != null) {
            scaled = Frames.video(video.context().width(), video.context().height(), AV_PIX_FMT_YUV420P);
            scaler.scale(f, scaled);
            f = scaled;
        }
        try {
            f.pts(pts);
            // After a reconnect the new connection must start on a keyframe.
            f.pict_type(needKeyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
            needKeyframe = false;
            video.encode(f, pkt -> write(0, pkt));
            frames.incrementAndGet();
        } finally {
            Frames.free(scaled);
        }
    }

    private void encodeAudio(Audio a) {
        if (a.pos() != expectedAudioPos) {
            // First chunk, or chunks were dropped: restart the audio timeline at this chunk's time.
            av_audio_fifo_reset(fifo);
            nextAudioPts = a.pos();
        }
        expectedAudioPos = a.pos() + a.frames();
        if (mixIn.capacity() < a.samples().length) {
            mixIn.close();
            mixIn = new ShortPointer(a.samples().length);
        }
        mixIn.position(0).put(a.samples(), 0, a.samples().length);
        mixInPlanes.put(0, mixIn);
        int got = resampler.convert(converted.data(), converted.nb_samples(), mixInPlanes, a.frames());
        av_audio_fifo_write(fifo, converted.data(), got);
        int fs = audio.frameSize() > 0 ? audio.frameSize() : 1024;
        while (av_audio_fifo_size(fifo) >= fs) {
            AVFrame f = audioFrame(fs);
            try {
                av_audio_fifo_read(fifo, f.data(), fs);
                f.pts(nextAudioPts);
                nextAudioPts += fs;
                audio.encode(f, pkt -> write(video == null ? 0 : 1, pkt));
            } finally {
                Frames.free(f);
            }
        }
    }

    private AVFrame audioFrame(int samples) {
        AVFrame f = av_frame_alloc();
        f.nb_samples(samples).format(audio.context().sample_fmt()).sample_rate(AudioRing.RATE);
        av_channel_layout_copy(f.ch_layout(), audio.context().ch_layout());
        io.streammix.worker.media.Av.check(av_frame_get_buffer(f, 0), name + ": audio buffer");
        return f;
    }

    private void write(int stream, org.bytedeco.ffmpeg.avcodec.AVPacket pkt) {
        if (muxer == null) {
            return;
        }
        try {
            muxer.write(stream, pkt);
            bytes = muxer.bytes();
        } catch (MediaException e) {
            if (!target.network()) {
                throw e;
            }
            closeMuxer();
            setState(WorkerReport.Output.RECONNECTING, e.getMessage());
            LOG.warnf("output %s (%s): %s; reconnecting", name, target.safeName(), e.getMessage());
            reconnectAtNanos = System.nanoTime() + backoffMs * 1_000_000;
        }
    }

    private void flush() {
        if (video != null) {
            video.encode(null, pkt -> write(0, pkt));
        }
        audio.encode(null, pkt -> write(video == null ? 0 : 1, pkt));
    }

    private void closeMuxer() {
        if (muxer != null) {
            try {
                muxer.close();
            } catch (RuntimeException e) {
                LOG.debugf("output %s: closing: %s", name, e.getMessage());
            }
            muxer = null;
        }
    }

    private void release() {
        if (video != null) {
            video.close();
        }
        if (audio != null) {
            audio.close();
        }
        if (scaler != null) {
            scaler.close();
        }
        if (resampler != null) {
            resampler.close();
        }
        if (fifo != null) {
            av_audio_fifo_free(fifo);
        }
        Frames.free(converted);
        mixIn.close();
        mixInPlanes.close();
        interrupter.close();
    }

    private void setState(String s, String why) {
        if (!s.equals(state)) {
            since = Instant.now();
        }
        state = s;
        reason = why;
    }

    String state() {
        return state;
    }

    long frames() {
        return frames.get();
    }

    long bytes() {
        return bytes;
    }

    long dropped() {
        return dropped.get();
    }

    WorkerReport.Output report() {
        RecordingFiles r = recording;
        List<String> files = r != null ? r.files() : target.file() == null ? null : List.of(target.file().toString());
        return new WorkerReport.Output(name, state, since.toString(), reason, bitrate, frames.get(), files,
                r == null ? null : r.uploads());
    }
}
