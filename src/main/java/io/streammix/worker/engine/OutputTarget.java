package io.streammix.worker.engine;

import io.streammix.worker.control.ControlApi;

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.worker.control.SpecSubmission;
import io.streammix.worker.recording.RecordingPlan;

import java.net.URI;
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
        return t.file() == null ? t : RecordingTargets.recording(t, out.recording, credentials, Instant.now());
    }

    private static OutputTarget ofUrl(MixOutput out, int index, Path outputDir) {
        String url = out.url;
        if (url == null) {
            String base = out.streamId != null ? out.streamId : out.displayName(index);
            Path p = outputDir.resolve(base.replaceAll("[^A-Za-z0-9._-]", "_") + ".mp4");
            return file(p);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("rtmp://") || lower.startsWith("rtmps://")) {
            return new OutputTarget(url, "flv", Map.of(), true, null, InputSource.safe(url), null);
        }
        if (lower.startsWith("srt://")) {
            return new OutputTarget(url, "mpegts", Map.of(), true, null, InputSource.safe(url), null);
        }
        if (lower.startsWith("file://")) {
            return file(Path.of(URI.create(url).getPath()));
        }
        if (lower.contains("://")) {
            throw new IllegalArgumentException("unsupported output URL scheme ("
                    + String.join(", ", new java.util.TreeSet<>(ControlApi.OUTPUT_SCHEMES)) + ")");
        }
        return file(Path.of(url));
    }

    private static OutputTarget file(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        String format;
        Map<String, String> opts = Map.of();
        if (name.endsWith(".flv")) {
            format = "flv";
        } else if (name.endsWith(".mkv")) {
            format = "matroska";
        } else if (name.endsWith(".ts")) {
            format = "mpegts";
        } else if (name.endsWith(".mp3")) {
            format = "mp3";
        } else {
            format = "mp4";
            opts = FRAGMENTED_MP4;
        }
        return new OutputTarget(p.toString(), format, opts, false, p, "file " + p.getFileName(), null);
    }
}
