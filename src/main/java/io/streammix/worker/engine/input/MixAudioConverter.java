package io.streammix.worker.engine.input;

import io.streammix.worker.engine.mix.AudioRing;
import io.streammix.worker.media.Resampler;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;

/**
 * An input's decoded audio in the mix's format (48 kHz stereo s16, interleaved), into buffers that are reused and grow
 * only when a frame needs more; the resampler is rebuilt only when the input's format changes. Input thread only.
 */
final class MixAudioConverter implements AutoCloseable {
    private final AVChannelLayout stereo = Resampler.layout(AudioRing.CHANNELS);
    private final PointerPointer<ShortPointer> planes = new PointerPointer<>(1);
    private Resampler resampler;
    private ShortPointer pcm = new ShortPointer(0);
    private short[] samples = new short[0];

    /** Converts {@code f}; returns the samples per channel now at the start of {@link #samples()}. */
    int convert(AVFrame f) {
        int n = f.nb_samples();
        if (resampler == null || !resampler.accepts(f.ch_layout(), f.format(), f.sample_rate())) {
            if (resampler != null) {
                resampler.close();
            }
            resampler = new Resampler(f.ch_layout(), f.format(), f.sample_rate(), stereo, AV_SAMPLE_FMT_S16, AudioRing.RATE);
        }
        int cap = (int) ((long) n * AudioRing.RATE / f.sample_rate()) + 256;
        if (pcm.capacity() < (long) cap * AudioRing.CHANNELS) {
            pcm.close();
            pcm = new ShortPointer((long) cap * AudioRing.CHANNELS);
            samples = new short[cap * AudioRing.CHANNELS];
        }
        planes.put(0, pcm);
        int got = resampler.convert(planes, cap, f.extended_data(), n);
        pcm.position(0).get(samples, 0, got * AudioRing.CHANNELS);
        return got;
    }

    /** The converted samples, interleaved; valid until the next {@link #convert}. */
    short[] samples() {
        return samples;
    }

    @Override
    public void close() {
        if (resampler != null) {
            resampler.close();
        }
        pcm.close();
        planes.close();
        stereo.close();
    }
}
