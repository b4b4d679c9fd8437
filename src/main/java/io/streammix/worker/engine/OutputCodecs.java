package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.MixOutput;

import java.util.Map;
import java.util.Set;

/**
 * Which encoders an output uses, and whether its containers can hold them. Audio-only containers (M4A, MP3,
 * Ogg/Opus) take one codec each, and no video; the others (MP4, MKV, FLV, TS, HLS) take H.264/H.265 and AAC, MP3
 * or Opus. An output without {@code audio.codec} gets its container's own codec (MP3 for .mp3, Opus for .ogg and
 * .opus), else AAC-LC. A mismatch is an {@link IllegalArgumentException} naming the field.
 */
final class OutputCodecs {
    private static final Map<String, AudioCodec> AUDIO_ONLY = Map.of("mp3", AudioCodec.MP3, "ogg", AudioCodec.OPUS,
            "opus", AudioCodec.OPUS, "ipod", AudioCodec.AAC_LC);
    private static final Map<String, String> FILE_KIND = Map.of("mp3", ".mp3", "ogg", ".ogg", "opus", ".opus",
            "ipod", ".m4a");

    private OutputCodecs() {
    }

    /** The audio codec asked for, or the default of the output's first container. */
    static AudioCodec audioCodec(MixOutput spec, String format) {
        if (spec.audio != null && spec.audio.codec != null) {
            return spec.audio.codec;
        }
        return AUDIO_ONLY.getOrDefault(format, AudioCodec.AAC_LC);
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
            AudioCodec only = AUDIO_ONLY.get(f);
            if (only == null) {
                continue;
            }
            String kind = FILE_KIND.get(f);
            if (spec.hasVideo()) {
                throw new IllegalArgumentException(at + ".video: a " + kind + " file holds audio only; remove video "
                        + "(or give it width and height 1) or use a video container (.mp4, .mkv, .flv, .ts)");
            }
            boolean heAac = only == AudioCodec.AAC_LC && audio == AudioCodec.HE_AAC;
            if (audio != only && !heAac) {
                throw new IllegalArgumentException(at + ".audio.codec: a " + kind + " file holds " + only + " audio only, not "
                        + audio);
            }
        }
    }
}
