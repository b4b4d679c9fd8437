package io.streammix.operator.sizing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.streammix.api.ExampleFiles;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Every example that runs without a media server (inputs synthetic or files, as ExamplesRunMediaTest picks them) run
 * by the worker as its pod runs it ({@link PodWorkerRun}), with the cost model's prediction beside what was measured:
 * steady CPU and peak RSS, and the error of each (goal: within 25 %). Outputs go to files under the worker's scratch
 * (on a cluster the worker serves them or pushes them); image URLs are served on loopback. Run with
 * {@code ./mvnw -B -q test -Dcontrol-plane.skip -Dpromtool.skip -Dtest.excludedGroups=none -Dtest=WorkerCostExamplesBenchmark}.
 */
@Tag("benchmark")
class WorkerCostExamplesBenchmark {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @TempDir
    Path dir;

    @Test
    void predictedAgainstMeasuredForEveryLocalExample() throws Exception {
        HttpServer images = images();
        try {
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                    "BENCHMARK cost model vs measured, every local example (steady CPU over %.0f..%.0f s, peak RSS; the pod's JVM flags)%n",
                    PodWorkerRun.WARMUP, PodWorkerRun.END));
            table.append(String.format(Locale.ROOT, "  %-28s %9s %9s %6s %9s %9s %6s%n", "example", "CPU m", "model m", "err",
                    "RSS MiB", "model", "err"));
            int i = 0;
            for (Path p : ExampleFiles.all()) {
                MixTaskSpec spec = YAML.readValue(ExampleFiles.mixTaskDocuments(p).get(0), MixTask.class).getSpec();
                if (!spec.inputs.stream().allMatch(WorkerCostExamplesBenchmark::local)) {
                    continue;
                }
                WorkerCostModel.Cost predicted = WorkerCostModel.predict(spec);
                Path d = Files.createDirectories(dir.resolve("example" + i++));
                redirect(spec, d, images.getAddress().getPort());
                PodWorkerRun.Measured m = PodWorkerRun.measure(spec, d);
                String row = String.format(Locale.ROOT, "  %-28s %9.0f %9.0f %5.0f%% %9d %9.0f %5.0f%%%n", p.getFileName(),
                        m.millicores(), predicted.millicores(), 100 * (predicted.millicores() - m.millicores()) / m.millicores(),
                        m.peakRssMib(), predicted.memoryMib(), 100 * (predicted.memoryMib() - m.peakRssMib()) / m.peakRssMib());
                if (WorkerCostCalibrationBenchmark.lastCpu != null) {
                    WorkerCostModel.Cost refit = WorkerCostModel.predict(spec, WorkerCostCalibrationBenchmark.lastCpu,
                            WorkerCostCalibrationBenchmark.lastMemory);
                    row += String.format(Locale.ROOT, "  %-28s %9s %9.0f %5.0f%% %9s %9.0f %5.0f%%   (this run's calibration fit)%n", "",
                            "", refit.millicores(), 100 * (refit.millicores() - m.millicores()) / m.millicores(),
                            "", refit.memoryMib(), 100 * (refit.memoryMib() - m.peakRssMib()) / m.peakRssMib());
                }
                System.out.print(row);
                System.out.printf(Locale.ROOT, "    terms: CPU %s, memory %s%n",
                        WorkerCostCalibrationBenchmark.literal(WorkerCostModel.cpuFeatures(spec)),
                        WorkerCostCalibrationBenchmark.literal(WorkerCostModel.memoryFeatures(spec)));
                table.append(row);
            }
            System.out.print(table);
        } finally {
            images.stop(0);
        }
    }

    private static boolean local(MixInput in) {
        return in.url != null && (in.url.startsWith("synthetic:") || in.url.startsWith("/") || in.url.startsWith("file:"));
    }

    /** Outputs to files under the worker's scratch/out; the example's image host to the loopback server. */
    private static void redirect(MixTaskSpec spec, Path d, int port) throws Exception {
        for (int i = 0; i < spec.outputs.size(); i++) {
            MixOutput o = spec.outputs.get(i);
            String name = o.name != null ? o.name : o.streamId != null ? o.streamId : "output-" + i;
            o.name = name;
            o.url = PodWorkerRun.out(d, name + (o.hasVideo() ? ".mp4" : ".m4a")).toString();
            o.streamId = null;
            o.urlFrom = null;
            o.recording = null;
        }
        spec.worker = null;
        String host = "http://127.0.0.1:" + port + "/";
        if (spec.background != null && spec.background.image != null) {
            spec.background.image = spec.background.image.replace("https://static.example.com/", host);
        }
        if (spec.watermark != null && spec.watermark.image != null) {
            spec.watermark.image = spec.watermark.image.replace("https://static.example.com/", host);
        }
    }

    private static HttpServer images() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] backdrop = png(0x00A040, 320, 180);
        byte[] logo = png(0xFFFFFF, 180, 90);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestURI().getPath().endsWith("logo.png") ? logo : backdrop;
            ex.getResponseHeaders().add("Content-Type", "image/png");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return server;
    }

    private static byte[] png(int rgb, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        var g = img.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, w, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
