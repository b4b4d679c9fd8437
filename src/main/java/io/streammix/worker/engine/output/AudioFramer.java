package io.streammix.worker.engine.output;

import io.streammix.worker.engine.mix.AudioRing;
import io.streammix.worker.engine.mix.MixClock;
import io.streammix.worker.media.Av;
import io.streammix.worker.media.Encoder;
import io.streammix.worker.media.Frames;
import io.streammix.worker.media.Resampler;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_reset;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;

/**
 * Turns the clock's mixed chunks (48 kHz stereo s16, {@link MixClock#CHUNK} samples) into frames of the size the audio
 * encoder wants, in its sample format and channels, with pts counted in samples on the mix timeline. A gap in the
 * chunks (the output's queue dropped some) restarts the timeline at the next chunk instead of closing the gap with
 * late samples. The thread of its {@link SharedAudioEncode} only; native buffers are allocated once and reused.
 */
final class AudioFramer implements AutoCloseable {
    private final Encoder encoder;
    private final String output;
    private final Resampler resampler;
    private final AVAudioFifo fifo;
    private final AVFrame converted;
    /** The frame handed to the encoder, reused (not one allocation per 21 ms). */
    private AVFrame out;
    private ShortPointer mixIn = new ShortPointer(MixClock.CHUNK * AudioRing.CHANNELS);
    private final PointerPointer<ShortPointer> mixInPlanes = new PointerPointer<>(1);
    private long nextPts = Long.MIN_VALUE;
    private long expectedPos = Long.MIN_VALUE;

    AudioFramer(Encoder encoder, String output) {
        this.encoder = encoder;
        this.output = output;
        try (AVChannelLayout stereo = Resampler.layout(AudioRing.CHANNELS)) {
            resampler = new Resampler(stereo, AV_SAMPLE_FMT_S16, AudioRing.RATE,
                    encoder.context().ch_layout(), encoder.context().sample_fmt(), AudioRing.RATE);
        }
        fifo = av_audio_fifo_alloc(encoder.context().sample_fmt(), encoder.context().ch_layout().nb_channels(), 4096);
        converted = frame(4096);
    }

    /** Adds {@code frames} samples starting at sample {@code pos}; hands every full encoder frame to {@code encode}. */
    void add(short[] samples, long pos, int frames, Consumer<AVFrame> encode) {
        if (pos != expectedPos) {
            // First chunk, or chunks were dropped: restart the audio timeline at this chunk's time.
            av_audio_fifo_reset(fifo);
            nextPts = pos;
        }
        expectedPos = pos + frames;
        if (mixIn.capacity() < samples.length) {
            mixIn.close();
            mixIn = new ShortPointer(samples.length);
        }
        mixIn.position(0).put(samples, 0, samples.length);
        mixInPlanes.put(0, mixIn);
        int got = resampler.convert(converted.data(), converted.nb_samples(), mixInPlanes, frames);
        av_audio_fifo_write(fifo, converted.data(), got);
        int fs = encoder.frameSize() > 0 ? encoder.frameSize() : 1024;
        while (av_audio_fifo_size(fifo) >= fs) {
            if (out == null || out.nb_samples() != fs) {
                Frames.free(out);
                out = null;
                out = frame(fs);
            }
            // One frame for every encoder frame; writable again once the encoder has let go of the last (else a copy).
            Av.check(av_frame_make_writable(out), output, "audio buffer");
            av_audio_fifo_read(fifo, out.data(), fs);
            out.pts(nextPts);
            nextPts += fs;
            encode.accept(out);
        }
    }

    private AVFrame frame(int samples) {
        AVFrame f = av_frame_alloc();
        f.nb_samples(samples).format(encoder.context().sample_fmt()).sample_rate(AudioRing.RATE);
        av_channel_layout_copy(f.ch_layout(), encoder.context().ch_layout());
        Av.check(av_frame_get_buffer(f, 0), output + ": audio buffer");
        return f;
    }

    @Override
    public void close() {
        resampler.close();
        av_audio_fifo_free(fifo);
        Frames.free(converted);
        Frames.free(out);
        mixIn.close();
        mixInPlanes.close();
    }
}
