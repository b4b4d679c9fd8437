package io.streammix.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.streammix.api.ExampleFiles;
import io.streammix.worker.MediaTools;
import io.streammix.worker.MediaTools.Picture;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the tests and benchmarks that run examples share: which examples run without a media server, the loopback
 * host of their images, output redirection, the run through {@link LocalRun}, the probe of an output.
 */
public final class ExampleRuns {
    static final int TOL = 40;
    /** The colours of the images the loopback host serves: /brand/backdrop.png and /brand/logo.png. */
    static final int BACKDROP = 0x00A040;
    static final int LOGO = 0xFFFFFF;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String IMAGE_HOST = "https://static.example.com/";

    private ExampleRuns() {
    }

    /** Examples whose inputs are all synthetic or files: they run without a media server. */
    public static List<Path> localExamples() throws IOException {
        List<Path> local = new ArrayList<>();
        for (Path p : ExampleFiles.all()) {
            if (ExampleFiles.mixTaskDocuments(p).stream().allMatch(ExampleRuns::needsOnlyLocalInputs)) {
                local.add(p);
            }
        }
        return local;
    }

    private static boolean needsOnlyLocalInputs(String doc) {
        try {
            for (JsonNode in : YAML.readTree(doc).path("spec").path("inputs")) {
                String url = in.path("url").asText("");
                if (!url.startsWith("synthetic:") && !url.startsWith("/") && !url.startsWith("file:")) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serves the examples' image host on loopback: /brand/backdrop.png (solid {@link #BACKDROP}) and /brand/logo.png
     * (opaque {@link #LOGO}), so background and watermark images are really fetched; stop it when done.
     */
    public static HttpServer serveImages() throws IOException {
        HttpServer images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, byte[]> pngs = Map.of("/brand/backdrop.png", png(BACKDROP, 320, 180), "/brand/logo.png", png(LOGO, 180, 90));
        images.createContext("/", ex -> {
            byte[] body = pngs.get(ex.getRequestURI().getPath());
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.getResponseHeaders().add("Content-Type", "image/png");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        images.start();
        return images;
    }

    private static byte[] png(int rgb, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        var g = img.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, w, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /**
     * An example's MixTask made runnable here: its YAML with each output pointed at a file of {@code outDir} (the
     * output's spec node and file in {@code outputs} and {@code files}) and its image host at {@code images}.
     */
    public record Prepared(String yaml, List<JsonNode> outputs, List<Path> files) {
    }

    public static Prepared prepare(Path example, Path outDir, HttpServer images) throws IOException {
        ObjectNode task = (ObjectNode) YAML.readTree(ExampleFiles.mixTaskDocuments(example).get(0));
        ArrayNode outputs = (ArrayNode) task.path("spec").path("outputs");
        List<JsonNode> specs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            files.add(redirect((ObjectNode) outputs.get(i), i, outDir));
            specs.add(outputs.get(i));
        }
        String yaml = YAML.writeValueAsString(task).replace(IMAGE_HOST, "http://127.0.0.1:" + images.getAddress().getPort() + "/");
        return new Prepared(yaml, specs, files);
    }

    /** What a run printed (stdout and stderr) and its exit code. */
    record Run(int code, String printed) {
    }

    /**
     * Points output {@code i} at a file of {@code dir} (an output without video gets .m4a) and returns the file; on a
     * cluster it would go to the worker's media port or a media server. Rotation and upload are RecordingMediaTest's.
     */
    static Path redirect(ObjectNode o, int i, Path dir) {
        String name = o.has("name") ? o.get("name").asText() : o.has("streamId") ? o.get("streamId").asText() : "output-" + i;
        Path f = dir.resolve(name + (hasVideo(o) ? ".mp4" : ".m4a"));
        o.remove(List.of("streamId", "urlFrom", "recording"));
        o.put("name", name);
        o.put("url", f.toString());
        return f;
    }

    /** LocalRun with these arguments, what it prints kept (not shown). */
    static Run run(String... args) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
            System.setOut(capture);
            System.setErr(capture);
            int code = LocalRun.run(args);
            return new Run(code, printed.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static List<String> args(Path file, int seconds, String... more) {
        List<String> a = new ArrayList<>(List.of(file.toString(), "--duration", Integer.toString(seconds)));
        a.addAll(List.of(more));
        return a;
    }

    /** The output file has the codecs, size, fps and channels its spec asks, and lasts about {@code seconds}. */
    static void assertOutputMatches(JsonNode spec, Path file, int seconds) throws Exception {
        JsonNode probe = MediaTools.probe(file);
        String what = file.getFileName().toString();
        assertThat(probe.path("format").path("duration").asDouble()).as(what + " duration").isBetween(seconds - 1.0, seconds + 2.0);
        JsonNode v = MediaTools.stream(probe, "video");
        if (hasVideo(spec)) {
            JsonNode want = spec.get("video");
            assertThat(v).as(what + " video stream").isNotNull();
            assertThat(v.get("codec_name").asText()).as(what + " codec")
                    .isEqualTo("H265".equals(want.path("codec").asText()) ? "hevc" : "h264");
            assertThat(v.get("width").asInt()).as(what + " width").isEqualTo(want.get("width").asInt());
            assertThat(v.get("height").asInt()).as(what + " height").isEqualTo(want.get("height").asInt());
            assertThat(v.get("r_frame_rate").asText()).as(what + " fps").isEqualTo(want.get("fps").asInt() + "/1");
        } else {
            assertThat(v).as(what + ": an output without video carries no video track").isNull();
        }
        JsonNode a = MediaTools.stream(probe, "audio");
        JsonNode audio = spec.path("audio");
        assertThat(a).as(what + " audio stream").isNotNull();
        assertThat(a.get("codec_name").asText()).as(what + " audio codec")
                .isEqualTo("MP3".equals(audio.path("codec").asText()) ? "mp3" : "aac");
        assertThat(a.get("channels").asInt()).as(what + " channels").isEqualTo(audio.path("channels").asInt(1));
    }

    static boolean hasVideo(JsonNode output) {
        JsonNode v = output.path("video");
        return v.path("width").asInt(0) > 1 && v.path("height").asInt(0) > 1;
    }

    static void assertColour(Picture p, int x, int y, int rgb, String what) {
        assertThat(p.is(x, y, rgb, TOL)).as(what + ": expected #%06X, got %s", rgb, p.describe(x, y)).isTrue();
    }
}
