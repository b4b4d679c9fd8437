package io.streammix.worker.engine.output.sink;

import io.streammix.api.validation.UrlPolicy;
import io.streammix.worker.engine.source.InputSource;

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.recording.RecordingPlan;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Where an output goes and in which container.
 *
 * @param url      what FFmpeg opens (may carry a stream key: never logged, {@code safeName} is)
 * @param file     the local file, null for network outputs
 * @param recording for files: how the files written are tracked, rotated and uploaded ({@link RecordingTargets})
 */
public record OutputTarget(String url, String format, Map<String, String> muxerOptions, boolean network, Path file,
                           String safeName, RecordingPlan recording) {

    /**
     * Fragmented MP4: a killed process still leaves a playable file. A fragment is written at every keyframe
     * and at least every half second ({@code frag_duration}, in microseconds) and handed to the OS at once
     * ({@code flush_packets}: the muxer only writes when a fragment is complete), so a SIGKILL loses at most
     * that half second of what reached the muxer (plus the encoder's lookahead, which never reached it).
     */
    static final Map<String, String> FRAGMENTED_MP4 = Map.of("movflags", "frag_keyframe+empty_moov+default_base_moof",
            "frag_duration", "500000", "flush_packets", "1");
    /**
     * Audio-only fragmented MP4: MP4 cuts fragments at video keyframes only, so cut them every half second instead,
     * flushed at once like {@link #FRAGMENTED_MP4}.
     */
    static final Map<String, String> FRAGMENTED_AUDIO_MP4 = Map.of("movflags", "empty_moov+default_base_moof",
            "frag_duration", "500000", "flush_packets", "1");
    /** HLS segment length in seconds: segments are cut at the first keyframe after it (GOP is 2 s). */
    static final String HLS_SECONDS = "2";
    static final String HLS_LIST_SIZE = "6";

    /**
     * @param outputDir where {@code streamId} outputs without a URL are written as {@code <streamId>.mp4}
     */
    public static OutputTarget of(MixOutput out, int index, Path outputDir) {
        return of(out, index, outputDir, null);
    }

    /**
     * @param credentials the key pair of {@code out.recording.upload}, null without upload
     */
    public static OutputTarget of(MixOutput out, int index, Path outputDir, SpecSubmission.S3Credentials credentials) {
        OutputTarget t = ofUrl(out, index, outputDir);
        // An HLS playlist on a volume rolls its own segments: it is not a recording.
        return t.file() == null || "hls".equals(t.format()) ? t : RecordingTargets.recording(t, out.recording, credentials, Instant.now());
    }

    private static OutputTarget ofUrl(MixOutput out, int index, Path outputDir) {
        String url = out.url;
        if (url == null) {
            String base = out.streamId != null ? out.streamId : out.displayName(index);
            Path p = outputDir.resolve(base.replaceAll("[^A-Za-z0-9._-]", "_") + ".mp4");
            return file(p, out);
        }
        String refused = io.streammix.api.validation.UrlPolicy.refusal(url, io.streammix.api.validation.UrlPolicy.Use.OUTPUT);
        if (refused != null) {
            throw new IllegalArgumentException("refused by the URL policy: " + refused);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("rtmp://") || lower.startsWith("rtmps://")) {
            return new OutputTarget(url, "flv", Map.of(), true, null, InputSource.safe(url), null);
        }
        if (lower.startsWith("srt://")) {
            return new OutputTarget(url, "mpegts", Map.of(), true, null, InputSource.safe(url), null);
        }
        if (lower.startsWith("file:")) {
            return file(io.streammix.api.validation.LocalPath.path(url), out); // decoded as FileAccess checked it
        }
        if (lower.contains("://")) {
            throw new IllegalArgumentException("unsupported output URL scheme ("
                    + String.join(", ", new java.util.TreeSet<>(UrlPolicy.OUTPUT_SCHEMES)) + ")");
        }
        return file(io.streammix.api.validation.LocalPath.path(url), out);
    }

    /**
     * A rolling HLS playlist with its segments beside it: short segments, the last {@value #HLS_LIST_SIZE} listed, older
     * ones deleted; the playlist and each segment are written to a temporary name and renamed when complete, so a
     * reader never sees half a file. Segments are MPEG-TS, or fragmented MP4 when the codecs need it (H.265, Opus).
     */
    public static OutputTarget hls(Path playlist, boolean fmp4, String safeName) {
        Path dir = playlist.toAbsolutePath().getParent();
        Map<String, String> opts = new java.util.LinkedHashMap<>();
        opts.put("hls_time", HLS_SECONDS);
        opts.put("hls_list_size", HLS_LIST_SIZE);
        opts.put("hls_flags", "delete_segments+temp_file+independent_segments");
        opts.put("hls_segment_type", fmp4 ? "fmp4" : "mpegts");
        opts.put("hls_segment_filename", dir.resolve("seg-%05d." + (fmp4 ? "m4s" : "ts")).toString());
        if (fmp4) {
            opts.put("hls_fmp4_init_filename", "init.mp4");
        }
        return new OutputTarget(playlist.toAbsolutePath().toString(), "hls", Map.copyOf(opts), false, playlist, safeName, null);
    }

    /** HLS segments in fragmented MP4 rather than MPEG-TS: H.265 and Opus are not (portably) carried in TS. */
    public static boolean hlsNeedsFmp4(MixOutput out) {
        boolean hevc = out.hasVideo() && out.video.codecOrDefault() == io.streammix.api.v1alpha1.VideoCodec.H265;
        boolean opus = out.audio != null && out.audio.codec == io.streammix.api.v1alpha1.AudioCodec.OPUS;
        return hevc || opus;
    }

    private static OutputTarget file(Path p, MixOutput out) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        String format;
        Map<String, String> opts = Map.of();
        if (name.endsWith(".m3u8")) {
            return hls(p, hlsNeedsFmp4(out), "HLS playlist");
        } else if (name.endsWith(".m4a")) {
            format = "ipod";
            opts = FRAGMENTED_AUDIO_MP4;
        } else if (name.endsWith(".ogg") || name.endsWith(".oga")) {
            format = "ogg";
        } else if (name.endsWith(".opus")) {
            format = "opus";
        } else if (name.endsWith(".flv")) {
            format = "flv";
        } else if (name.endsWith(".mkv")) {
            format = "matroska";
        } else if (name.endsWith(".ts")) {
            format = "mpegts";
        } else if (name.endsWith(".mp3")) {
            format = "mp3";
        } else {
            format = "mp4";
            opts = out.hasVideo() ? FRAGMENTED_MP4 : FRAGMENTED_AUDIO_MP4;
        }
        // Never the file's name: it may come from a Secret (urlFrom), and this name goes to logs and reasons (issue 21).
        return new OutputTarget(p.toString(), format, opts, false, p, "file (" + format + ")", null);
    }
}
