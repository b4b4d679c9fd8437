package io.streammix.local;

import io.streammix.worker.NativeSetup;
import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Role {@code probe}: plays a URL the way a player in the cluster would and prints what it decoded, one JSON object
 * from FFmpeg's own ffprobe (bundled with the image's FFmpeg) -- codec, size and frames decoded of each stream -- so
 * that a play URL from {@code status.play} can be checked from inside the cluster with nothing but the operator's
 * image:
 *
 * <pre>kubectl run probe --rm -i --restart=Never --image=IMAGE -- probe URL [SECONDS]</pre>
 *
 * It reads {@code SECONDS} (default 3) of media and exits 0 when at least one video or audio frame was decoded, 1
 * otherwise. Threads: the caller's only; ffprobe runs as a child process.
 */
public final class PlayProbe {
    private PlayProbe() {
    }

    public static void main(String... args) throws IOException, InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: probe URL [SECONDS]");
            System.exit(2);
        }
        NativeSetup.prepare(System.getenv());
        int seconds = args.length == 2 ? Integer.parseInt(args[1]) : 3;
        String ffprobe = Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
        Process p = new ProcessBuilder(List.of(ffprobe, "-v", "error", "-rw_timeout", "10000000",
                "-read_intervals", "%+" + seconds, "-count_frames",
                "-show_entries", "stream=codec_type,codec_name,width,height,nb_read_frames", "-of", "json", args[0]))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        System.out.println(out.replaceAll("\\s+", " ").trim());
        boolean decoded = out.matches("(?s).*\"nb_read_frames\": \"[1-9][0-9]*\".*");
        System.exit(decoded ? 0 : 1);
    }
}
