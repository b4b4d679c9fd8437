package io.streammix.startmix.embedded;

import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.PlayInfo;
import io.streammix.api.validation.Violation;
import io.streammix.worker.media.MediaLimits;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the embedded start-mix server tells a caller about a task it is about to mix, beyond the request: inputs by
 * stream id that wait for their publisher, outputs with no RTMP play address, images over the 5 MB rule (the engine
 * loads images after the reply, so without a look here a refused image would show only in a log line).
 */
final class EmbeddedNotes {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private EmbeddedNotes() {
    }

    static List<Violation> of(MixTask task, String inputUrlTemplate, List<PlayInfo> play) {
        List<Violation> notes = new ArrayList<>();
        MixTaskSpec spec = task.getSpec();
        for (int i = 0; i < spec.inputs.size(); i++) {
            MixInput in = spec.inputs.get(i);
            if (in.streamId != null) {
                notes.add(new Violation("spec.inputs[" + i + "].streamId", "'" + in.streamId + "' is pulled from "
                        + shown(inputUrlTemplate, in.streamId) + "; the mix does not wait for it: until it is published "
                        + "there its rect shows the background (its lost-input policy), and it shows once published"));
            }
        }
        for (int i = 0; i < play.size(); i++) {
            if (play.get(i).rtmpUrl == null) {
                notes.add(new Violation("play[" + i + "].rtmp_url", "omitted: this server plays HTTP-FLV and HLS only; an "
                        + "output pushed to an RTMP server (an rtmp:// mixurl) plays there, and rtmp_url says where"));
            }
        }
        if (spec.background != null) {
            tooLarge("spec.background.image", spec.background.image, notes);
        }
        if (spec.watermark != null) {
            tooLarge("spec.watermark.image", spec.watermark.image, notes);
        }
        return notes;
    }

    /** The RTMP play address of an output pushed to an RTMP server: the push address without its query. */
    static String rtmpPlay(String outputUrl) {
        if (outputUrl == null) {
            return null;
        }
        String lower = outputUrl.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("rtmp://") && !lower.startsWith("rtmps://")) {
            return null;
        }
        return outputUrl.replaceFirst("[?#].*$", "");
    }

    /** The pull URL of a stream id, unless the template carries credentials or a query (then only where it comes from). */
    private static String shown(String template, String streamId) {
        if (template == null) {
            return "nowhere (no input URL template)";
        }
        if (template.contains("@") || template.contains("?")) {
            return "the input URL template";
        }
        return template.replace("{streamId}", streamId);
    }

    /** Adds a note when the image is over the 5 MB rule: a file (relative to the working directory) by its size, an http(s) URL by its Content-Length. */
    private static void tooLarge(String field, String url, List<Violation> notes) {
        if (url == null) {
            return;
        }
        long size = size(url);
        if (size > MediaLimits.MAX_IMAGE_BYTES) {
            notes.add(new Violation(field, String.format(Locale.ROOT, "%.1f MB, over the 5 MB limit: not shown (a larger "
                    + "image does not take effect, as the vendor's document says); the mix runs without it", size / 1e6)));
        }
    }

    private static long size(String url) {
        try {
            String lower = url.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                // A GET whose body is not read (some signed URLs answer only GET): its Content-Length is the size.
                HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                r.body().close();
                return r.statusCode() == 200 ? r.headers().firstValueAsLong("Content-Length").orElse(-1) : -1;
            }
            Path p = lower.startsWith("file:") ? Path.of(URI.create(url)) : Path.of(url);
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException | RuntimeException e) {
            return -1; // unknown: the engine checks it as it loads it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
