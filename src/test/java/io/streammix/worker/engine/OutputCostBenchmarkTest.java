package io.streammix.worker.engine;

import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.streammix.worker.engine.CpuBenchmarkTest.MEDIA;
import static io.streammix.worker.engine.CpuBenchmarkTest.WARMUP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an output costs: the same canvas (two synthetic 640x360@15 inputs side by side on 1280x360) encoded to 1, 2
 * and 4 outputs (the first 1280x360, the others 640x360), @15 x264 veryfast 800 kbit/s CBR + AAC 128k stereo to a
 * fragmented MP4 file; every output is also published on the media port (HTTP-FLV + HLS muxers from the same
 * encoders, no client), so an output here is one encoder set and three muxers. And one output with no URL (FLV +
 * HLS muxers only): its difference to the one-file case is the cost of the file's muxer. CPU seconds per
 * media second in steady state, measured like {@link CpuBenchmarkTest} (a child JVM running the local run, sampled
 * from /proc). Run with {@code -Dtest.excludedGroups=none -Dtest=OutputCostBenchmarkTest}.
 */
@Tag("benchmark")
class OutputCostBenchmarkTest {
    @TempDir
    Path dir;

    private String yaml(int outputs, boolean live) {
        StringBuilder outs = new StringBuilder();
        for (int i = 0; i < outputs; i++) {
            outs.append("    - name: out").append(i).append('\n');
            if (live) {
                outs.append("      streamId: out").append(i).append('\n');
            } else {
                outs.append("      url: \"").append(dir.resolve("out" + outputs + "-" + i + ".mp4")).append("\"\n");
            }
            // The first output sets the canvas; the others scale it down to the same size as a real second output would.
            String size = i == 0 ? "{width: 1280, height: 360" : "{width: 640, height: 360";
            outs.append("      video: ").append(size).append(", fps: 15, bitrate: 800000, codec: H264, rateControl: CBR}\n");
            outs.append("      audio: {codec: AAC_LC, bitrate: 128000, channels: 2}\n");
        }
        return """
                apiVersion: streammix.io/v1alpha1
                kind: MixTask
                metadata: {name: bench}
                spec:
                  inputs:
                    - {name: a, url: "synthetic:testsrc?size=640x360&fps=15&tone=440", rect: {left: 0, top: 0, right: 640, bottom: 360}}
                    - {name: b, url: "synthetic:testsrc?size=640x360&fps=15&tone=880", rect: {left: 640, top: 0, right: 1280, bottom: 360}}
                  outputs:
                """ + outs;
    }

    private double run(String label, int outputs, boolean live) throws Exception {
        Path file = Files.writeString(dir.resolve(label + ".yaml"), yaml(outputs, live));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.streammix.local.LocalRun", file.toString(), "--duration", String.valueOf(MEDIA), "--media-port", "0",
                "--out-dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(label + ".log").toFile());
        CpuBenchmarkTest.Sample[] s = CpuBenchmarkTest.measure(pb);
        return (s[1].cpuSeconds() - s[0].cpuSeconds()) / (MEDIA - WARMUP);
    }

    @Test
    void cpuPerOutput() throws Exception {
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("1 output (1280x360 file + HTTP-FLV + HLS)", run("one", 1, false));
        r.put("2 outputs (+ 640x360 file)", run("two", 2, false));
        r.put("4 outputs (+ 3 x 640x360 files)", run("four", 4, false));
        r.put("1 output, no url (HTTP-FLV + HLS only)", run("live", 1, true));
        StringBuilder out = new StringBuilder("BENCHMARK output cost, CPU s per media s, steady state " + WARMUP + ".." + MEDIA + " s\n");
        r.forEach((k, v) -> out.append(String.format("  %-55s %.3f%n", k, v)));
        double one = r.get("1 output (1280x360 file + HTTP-FLV + HLS)");
        double four = r.get("4 outputs (+ 3 x 640x360 files)");
        out.append(String.format("  marginal 640x360 output: %.3f (2 - 1), %.3f ((4 - 1) / 3)%n",
                r.get("2 outputs (+ 640x360 file)") - one, (four - one) / 3));
        out.append(String.format("  the MP4 file muxer (one output with vs without its file): %+.3f%n",
                one - r.get("1 output, no url (HTTP-FLV + HLS only)")));
        System.out.print(out);
        assertThat(MediaTools.probe(dir.resolve("out4-3.mp4")).get("streams").size()).isEqualTo(2);
    }
}
