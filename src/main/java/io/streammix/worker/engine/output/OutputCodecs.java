package io.streammix.worker.engine.output;

import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.AudioEncoding;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.RateControl;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.api.validation.AudioOnlyFile;
import io.streammix.worker.engine.mix.AudioRing;
import io.streammix.worker.media.Encoder;
import io.streammix.worker.media.MediaException;

import java.util.Set;

/**
 * Which encoders an output uses, and whether its containers can hold them. Audio-only containers (M4A, MP3,
 * Ogg/Opus) take one codec each, and no video ({@link AudioOnlyFile}: the table admission reads too); the others
 * (MP4, MKV, FLV, TS, HLS) take H.264/H.265 and AAC, MP3 or Opus. An output without {@code audio.codec} gets its
 * container's own codec (MP3 for .mp3, Opus for .ogg and .opus), else AAC-LC. A mismatch is an
 * {@link IllegalArgumentException} naming the field. Admission refuses the same for literal urls; this check stays for
 * the URLs it cannot read (Secret values, percent-escaped file names).
 */
final class OutputCodecs {
    private OutputCodecs() {
    }

    /** The audio codec asked for, or the default of the output's first container. */
    static AudioCodec audioCodec(MixOutput spec, String format) {
        if (spec.audio != null && spec.audio.codec != null) {
            return spec.audio.codec;
        }
        AudioOnlyFile file = AudioOnlyFile.ofFormat(format);
        return file == null ? AudioCodec.AAC_LC : file.codec;
    }

    /** FFmpeg encoder name for an audio codec; HE-AAC is encoded as AAC-LC (no HE-AAC encoder in the build). */
    static String audioEncoder(AudioCodec c) {
        return switch (c) {
            case MP3 -> "libmp3lame";
            case OPUS -> "libopus";
            case AAC_LC, HE_AAC -> "aac";
        };
    }

    /** Throws, naming the field, when a container of this output cannot hold its streams. */
    static void check(MixOutput spec, int index, AudioCodec audio, Set<String> formats) {
        String at = "spec.outputs[" + index + "]";
        for (String f : formats) {
            AudioOnlyFile file = AudioOnlyFile.ofFormat(f);
            if (file == null) {
                continue;
            }
            if (spec.hasVideo()) {
                throw new IllegalArgumentException(at + ".video: " + file.noVideoRule());
            }
            if (!file.holds(audio)) {
                throw new IllegalArgumentException(at + ".audio.codec: " + file.codecRule(audio));
            }
        }
    }

    /** Opens the video encoder of {@code spec} (H.264 or H.265, even size); a codec the build lacks names the field. */
    static Encoder openVideo(MixOutput spec, int index, String name) {
        VideoEncoding v = spec.video;
        String codec = v.codecOrDefault() == VideoCodec.H265 ? "libx265" : "libx264";
        Integer crf = v.rateControlOrDefault() == RateControl.CRF ? v.qualityOrDefault() : null;
        int w = (v.width + 1) & ~1;
        int h = (v.height + 1) & ~1;
        try {
            return Encoder.video(new Encoder.VideoSettings(codec, w, h, v.fps, v.bitrate, crf, "veryfast"), name);
        } catch (MediaException e) {
            throw new IllegalArgumentException("spec.outputs[" + index + "].video.codec: " + e.getMessage(), e);
        }
    }

    /** Opens the audio encoder for {@code codec} at the mix's sample rate; a codec the build lacks names the field. */
    static Encoder openAudio(MixOutput spec, int index, AudioCodec codec, String name) {
        AudioEncoding a = spec.audio == null ? new AudioEncoding() : spec.audio;
        try {
            return Encoder.audio(audioEncoder(codec), a.bitrateOrDefault(), a.channelsOrDefault(), AudioRing.RATE, name);
        } catch (MediaException e) {
            throw new IllegalArgumentException("spec.outputs[" + index + "].audio.codec: " + e.getMessage(), e);
        }
    }
}
