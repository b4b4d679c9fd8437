package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.validation.AudioOnlyFile;

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
}
