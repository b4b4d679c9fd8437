package io.streammix.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.AudioEncoding;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.VideoEncoding;
import org.bytedeco.javacpp.Loader;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real media for tests: the bundled ffmpeg/ffprobe executables (to make inputs, serve RTMP, and decode
 * outputs to raw pixels and PCM), pixel sampling and a Goertzel tone detector, and spec builders.
 */
public final class MediaTools {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String FFMPEG = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    public static final String FFPROBE = Loader.load(org.bytedeco.ffmpeg.ffprobe.class);

    private MediaTools() {
    }

    /** Starts the bundled ffmpeg with these arguments (its libraries beside it), output to a log file. */
    public static Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(FFMPEG);
        cmd.add("-hide_banner");
        cmd.add("-nostdin");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LD_LIBRARY_PATH", new File(FFMPEG).getParent());
        return pb.start();
    }

    /** Runs ffmpeg/ffprobe to completion and returns stdout; fails with its log when it fails. */
    public static byte[] run(String exe, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe);
        cmd.add("-hide_banner");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LD_LIBRARY_PATH", new File(FFMPEG).getParent());
        Path err = Files.createTempFile("ff", ".log");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(exe + " " + args + " failed: " + Files.readString(err));
        }
        Files.deleteIfExists(err);
        return out;
    }

    public static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of("-loglevel", "error", "-y"));
        a.addAll(List.of(args));
        run(FFMPEG, a.toArray(String[]::new));
    }

    /** ffprobe's JSON of streams and format. */
    public static JsonNode probe(Path file) throws IOException, InterruptedException {
        return JSON.readTree(run(FFPROBE, "-v", "error", "-print_format", "json", "-show_streams", "-show_format", file.toString()));
    }

    public static JsonNode stream(JsonNode probe, String type) {
        for (JsonNode s : probe.get("streams")) {
            if (type.equals(s.get("codec_type").asText())) {
                return s;
            }
        }
        return null;
    }

    /** One decoded picture as RGB. */
    public record Picture(int width, int height, byte[] rgb) {
        public int[] at(int x, int y) {
            int i = (y * width + x) * 3;
            return new int[]{rgb[i] & 0xFF, rgb[i + 1] & 0xFF, rgb[i + 2] & 0xFF};
        }

        /** True when the pixel is within {@code tol} of #RRGGBB on every channel. */
        public boolean is(int x, int y, int rgbHex, int tol) {
            int[] p = at(x, y);
            return Math.abs(p[0] - ((rgbHex >> 16) & 0xFF)) <= tol && Math.abs(p[1] - ((rgbHex >> 8) & 0xFF)) <= tol
                    && Math.abs(p[2] - (rgbHex & 0xFF)) <= tol;
        }

        public String describe(int x, int y) {
            int[] p = at(x, y);
            return String.format("(%d,%d)=#%02X%02X%02X", x, y, p[0], p[1], p[2]);
        }
    }

    /** Decodes the picture shown at {@code seconds} of a file to RGB. */
    public static Picture frameAt(Path file, double seconds, int width, int height) throws IOException, InterruptedException {
        byte[] rgb = run(FFMPEG, "-loglevel", "error", "-ss", String.valueOf(seconds), "-i", file.toString(), "-frames:v", "1",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        if (rgb.length < width * height * 3) {
            throw new IOException("no picture at " + seconds + " s in " + file + " (" + rgb.length + " bytes)");
        }
        return new Picture(width, height, rgb);
    }

    /**
     * Every picture of the file's first video stream, in presentation order, as RGB with its time in seconds on the
     * file's own timeline (as muxed: for an engine output, the mix time), streamed to {@code each}; returns the count.
     */
    public static int eachFrame(Path file, int width, int height, FrameCheck each) throws IOException, InterruptedException {
        String csv = new String(run(FFPROBE, "-v", "error", "-select_streams", "v:0", "-show_entries",
                "frame=best_effort_timestamp_time", "-of", "csv=p=0", file.toString()), java.nio.charset.StandardCharsets.UTF_8);
        List<Double> times = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String t = line.replace(",", "").trim();
            if (!t.isEmpty()) {
                times.add(t.equals("N/A") ? Double.NaN : Double.parseDouble(t));
            }
        }
        ProcessBuilder pb = new ProcessBuilder(FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error", "-i", file.toString(),
                "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LD_LIBRARY_PATH", new File(FFMPEG).getParent());
        Process p = pb.start();
        int n = 0;
        try (var in = p.getInputStream()) {
            byte[] rgb;
            while ((rgb = in.readNBytes(width * height * 3)).length == width * height * 3) {
                each.frame(n, n < times.size() ? times.get(n) : Double.NaN, new Picture(width, height, rgb));
                n++;
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (n != times.size()) {
            throw new IOException("decoded " + n + " pictures but ffprobe listed " + times.size() + " in " + file);
        }
        return n;
    }

    /** Sees one decoded picture: its index in presentation order and its time. */
    @FunctionalInterface
    public interface FrameCheck {
        void frame(int index, double seconds, Picture picture);
    }

    /** The audio of a file as 48 kHz mono samples. */
    public static short[] pcm(Path file, double from, double duration) throws IOException, InterruptedException {
        byte[] b = run(FFMPEG, "-loglevel", "error", "-ss", String.valueOf(from), "-t", String.valueOf(duration), "-i",
                file.toString(), "-vn", "-ac", "1", "-ar", "48000", "-f", "s16le", "-");
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    /** Amplitude (0..1 of full scale) of the {@code freq} component of the signal (Goertzel). */
    public static double tone(short[] s, double freq) {
        double w = 2 * Math.PI * freq / 48000;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (short v : s) {
            double s0 = v / 32768.0 + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return 2 * Math.sqrt(Math.max(power, 0)) / s.length;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits until something listens on TCP {@code port} of this machine, without connecting to it: an FFmpeg
     * {@code -listen 1} RTMP server accepts one connection only, so a probe connection would use it up. Reads the
     * kernel's socket tables (Linux); elsewhere it waits a second.
     */
    public static void awaitListening(int port, Duration timeout) throws IOException, InterruptedException {
        Path v4 = Path.of("/proc/net/tcp");
        if (!Files.exists(v4)) {
            Thread.sleep(1000);
            return;
        }
        String local = String.format(":%04X ", port);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Path table : List.of(v4, Path.of("/proc/net/tcp6"))) {
                if (Files.exists(table) && Files.readAllLines(table).stream()
                        .map(l -> l.trim().split("\\s+")).anyMatch(f -> f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("0A"))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("nothing listens on port " + port + " after " + timeout);
    }

    // ---- spec builders ----

    public static MixInput input(String name, String url, int left, int top, int right, int bottom, int layer) {
        MixInput in = new MixInput();
        in.name = name;
        in.url = url;
        in.rect = new Rect(left, top, right, bottom);
        in.rect.layer = layer;
        return in;
    }

    public static MixOutput fileOutput(String name, Path file, int w, int h, int fps) {
        MixOutput o = new MixOutput();
        o.name = name;
        o.url = file.toString();
        o.video = new VideoEncoding();
        o.video.width = w;
        o.video.height = h;
        o.video.fps = fps;
        o.video.bitrate = 1_500_000;
        o.audio = new AudioEncoding();
        o.audio.bitrate = 128_000;
        o.audio.channels = 2;
        return o;
    }

    /** A deep copy: the engine keeps the spec it runs, so each submission gets its own, as one parsed from JSON would be. */
    public static MixTaskSpec copy(MixTaskSpec spec) throws IOException {
        return JSON.readValue(JSON.writeValueAsBytes(spec), MixTaskSpec.class);
    }

    public static MixTaskSpec spec(List<MixInput> inputs, List<MixOutput> outputs) {
        MixTaskSpec s = new MixTaskSpec();
        s.inputs = new ArrayList<>(inputs);
        s.outputs = new ArrayList<>(outputs);
        return s;
    }
}
