package io.streammix.api.validation;

import io.streammix.api.v1alpha1.AudioCodec;

import java.util.List;
import java.util.Locale;

/**
 * The audio-only file kinds an output can write, and the one audio codec each holds: the table that the worker
 * ({@code OutputCodecs}, at run time, by FFmpeg muxer name) and admission ({@link SpecValidator} and the CEL rules
 * {@link io.streammix.api.v1alpha1.SpecRules#AUDIO_ONLY_FILE_NO_VIDEO} and the {@code *_HOLDS_*} rules beside it, by the
 * output's literal url) both read, so that what {@code kubectl apply} refuses is what the worker would refuse.
 * {@code AudioOnlyFileRulesTest} checks the CEL text against this table and the worker's reading of URLs.
 *
 * <p>The video containers (.mp4, .mkv, .flv, .ts, .m3u8 and the network outputs) take H.264/H.265 with AAC, MP3 or
 * Opus, so they have no entry (the media tests write H.265 + MP3 in MKV, H.264 + MP3 in FLV, H.265 in HLS).
 */
public enum AudioOnlyFile {
    /** Fragmented MP4 audio: AAC; HE-AAC is accepted and encoded as AAC-LC (the build has no HE-AAC encoder). */
    M4A("ipod", AudioCodec.AAC_LC, ".m4a"),
    MP3("mp3", AudioCodec.MP3, ".mp3"),
    /** Ogg-Opus; the worker names both extensions ".ogg" in its messages. */
    OGG("ogg", AudioCodec.OPUS, ".ogg", ".oga"),
    OPUS("opus", AudioCodec.OPUS, ".opus");

    /** The FFmpeg muxer the worker opens for this kind. */
    public final String format;
    /** The one audio codec the file holds; also the default when the output names none. */
    public final AudioCodec codec;
    /** File name endings, lower case; the first names the kind in messages. */
    public final List<String> extensions;

    AudioOnlyFile(String format, AudioCodec codec, String... extensions) {
        this.format = format;
        this.codec = codec;
        this.extensions = List.of(extensions);
    }

    /** The kind of the worker's muxer {@code format}, or null for containers that hold video. */
    public static AudioOnlyFile ofFormat(String format) {
        for (AudioOnlyFile f : values()) {
            if (f.format.equals(format)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The audio-only kind a literal output url names, read as the worker reads it (OutputTarget): a path, or a
     * {@code file://} URL whose path part (before {@code ?} or {@code #}) ends with the extension; case does not
     * matter; trailing slashes are dropped as {@code Path} drops them. A path keeps its {@code ?...}: the worker writes
     * a file of that very name, as MP4. Network URLs and other schemes are not files: null. Percent-escapes are not
     * decoded (the CEL twin cannot): {@code file:///a.mp%33} passes here and is refused by the worker at run time.
     */
    public static AudioOnlyFile ofUrl(String url) {
        if (url == null) {
            return null;
        }
        String path = url;
        if (url.contains("://")) {
            if (!url.regionMatches(true, 0, "file://", 0, 7)) {
                return null;
            }
            int end = url.length();
            for (int i = 7; i < url.length(); i++) {
                if (url.charAt(i) == '?' || url.charAt(i) == '#') {
                    end = i;
                    break;
                }
            }
            path = url.substring(0, end);
        }
        int n = path.length();
        while (n > 0 && path.charAt(n - 1) == '/') {
            n--;
        }
        String name = path.substring(0, n).toLowerCase(Locale.ROOT);
        for (AudioOnlyFile f : values()) {
            for (String ext : f.extensions) {
                if (name.endsWith(ext)) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Whether the file can carry {@code audio}; HE-AAC goes into .m4a as AAC-LC. */
    public boolean holds(AudioCodec audio) {
        return audio == codec || (codec == AudioCodec.AAC_LC && audio == AudioCodec.HE_AAC);
    }

    /** How messages name the kind: {@code .ogg}. */
    public String kind() {
        return extensions.get(0);
    }

    /** The rule broken by video in this file (the field is {@code spec.outputs[i].video}). */
    public String noVideoRule() {
        return "a " + kind() + " file holds audio only; remove video (or give it width and height 1) or use a video "
                + "container (.mp4, .mkv, .flv, .ts)";
    }

    /** The rule broken by {@code audio} in this file (the field is {@code spec.outputs[i].audio.codec}). */
    public String codecRule(AudioCodec audio) {
        return "a " + kind() + " file holds " + codec + " audio only, not " + audio;
    }
}
