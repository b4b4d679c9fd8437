package io.streammix.worker.engine.mix;

import io.streammix.worker.engine.scene.InputLayout;
import io.streammix.worker.engine.scene.MixPlan;
import java.util.HashMap;
import java.util.Map;

/**
 * Mixes the inputs' audio by sample time (output clock thread only): each input's samples for the chunk,
 * times its volume, summed in ints and clipped to 16 bits, so loud sums saturate instead of wrapping.
 * Also measures each input's sound level (after its volume) every 100 ms.
 */
final class AudioMixer {
    static final int LEVEL_WINDOW = AudioRing.RATE / 10;
    private final Map<String, double[]> energy = new HashMap<>(); // name -> {sum of squares, samples}
    private short[] tmp = new short[0];
    private int[] acc = new int[0];

    /** @return {@code frames} stereo frames of mix, starting at sample time {@code pos} */
    short[] mix(MixPlan plan, Map<String, InputSlot> slots, long pos, int frames) {
        int n = frames * AudioRing.CHANNELS;
        if (tmp.length < n) {
            tmp = new short[n];
            acc = new int[n];
        }
        java.util.Arrays.fill(acc, 0, n, 0);
        for (InputSlot slot : slots.values()) {
            slot.audio.take(pos, tmp, frames);
            InputLayout l = plan.input(slot.name);
            int vol = l == null || !l.content().hasAudio() || !slot.isLive() ? 0 : l.volume();
            double sum = 0;
            if (vol == 100) {
                // Full volume, the usual case: no scaling (a division per sample otherwise).
                for (int i = 0; i < n; i++) {
                    int s = tmp[i];
                    acc[i] += s;
                    sum += s * s;
                }
            } else if (vol != 0) {
                for (int i = 0; i < n; i++) {
                    int s = tmp[i] * vol / 100;
                    acc[i] += s;
                    sum += (double) s * s;
                }
            }
            measure(slot, sum, n);
        }
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            int s = acc[i];
            out[i] = (short) (s > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(s, Short.MIN_VALUE));
        }
        return out;
    }

    private void measure(InputSlot slot, double sum, int n) {
        double[] e = energy.computeIfAbsent(slot.name, k -> new double[2]);
        e[0] += sum;
        e[1] += n;
        if (e[1] >= LEVEL_WINDOW * AudioRing.CHANNELS) {
            slot.level(level(Math.sqrt(e[0] / e[1])));
            e[0] = 0;
            e[1] = 0;
        }
    }

    /** 0..100 from RMS: -60 dBFS and below is 0, full scale is 100, linear in dB (how loudness is perceived). */
    static int level(double rms) {
        if (rms <= 0) {
            return 0;
        }
        double db = 20 * Math.log10(rms / 32768.0);
        return (int) Math.max(0, Math.min(100, Math.round((db + 60) / 60 * 100)));
    }
}
