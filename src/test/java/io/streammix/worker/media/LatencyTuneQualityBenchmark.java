package io.streammix.worker.media;

import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code tune=zerolatency} (the worker's encoders since session 3, see {@link Encoder#video}) costs in picture
 * quality at the same bitrate, against the preset alone: the same 10 s of a moving, noisy test picture encoded by
 * libx264 veryfast CBR with VBV and a 2 s GOP, as the worker does, with and without the tune, at two bitrates;
 * SSIM and PSNR against the lossless source (FFmpeg's ssim and psnr filters).
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=LatencyTuneQualityBenchmark -Dtest.excludedGroups=none}. Session 3, 2 shared cores:
 * at 250 kbit/s SSIM 0.936 / PSNR 34.0 dB without the tune, 0.910 / 31.4 dB with it; at 800 kbit/s 0.968 / 41.3 dB
 * against 0.967 / 40.6 dB. Latency costs most where bits are scarce.
 */
@Tag("benchmark")
class LatencyTuneQualityBenchmark {
    private static final Pattern SSIM_ALL = Pattern.compile("All:([0-9.]+)");
    private static final Pattern PSNR_AVG = Pattern.compile("psnr_avg:([0-9.]+|inf)");

    @TempDir
    Path dir;

    @Test
    void ssimAndPsnrWithAndWithoutZerolatency() throws Exception {
        Path source = dir.resolve("source.mkv");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25,noise=alls=3:allf=t", "-t", "10",
                "-c:v", "ffv1", source.toString());
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-12s %-22s %10s %8s %8s", "bitrate", "x264 settings", "kbit/s", "SSIM", "PSNR dB"));
        for (int kbps : new int[]{250, 800}) {
            for (boolean zerolatency : new boolean[]{false, true}) {
                Path out = dir.resolve(kbps + (zerolatency ? "-zl" : "-preset") + ".mp4");
                List<String> args = new ArrayList<>(List.of("-i", source.toString(), "-c:v", "libx264", "-preset", "veryfast"));
                if (zerolatency) {
                    args.addAll(List.of("-tune", "zerolatency"));
                }
                String b = kbps + "k";
                args.addAll(List.of("-b:v", b, "-maxrate", b, "-bufsize", b, "-g", "50", "-sc_threshold", "0", out.toString()));
                MediaTools.ffmpeg(args.toArray(String[]::new));
                double[] q = quality(out, source);
                double actual = MediaTools.probe(out).at("/format/bit_rate").asDouble() / 1000;
                assertThat(q[0]).as("SSIM of " + out.getFileName()).isBetween(0.5, 1.0);
                lines.add(String.format("%-12s %-22s %10.0f %8.4f %8.2f", b, zerolatency ? "veryfast + zerolatency" : "veryfast",
                        actual, q[0], q[1]));
            }
        }
        System.out.println("BENCHMARK libx264 quality at equal bitrate, 640x360@25, 10 s of testsrc2 + light noise");
        lines.forEach(l -> System.out.println("  " + l));
    }

    /** Mean SSIM (All) and mean PSNR of {@code encoded} against {@code source}, frame by frame. */
    private double[] quality(Path encoded, Path source) throws Exception {
        Path ssim = dir.resolve("ssim.log");
        Path psnr = dir.resolve("psnr.log");
        MediaTools.ffmpeg("-i", encoded.toString(), "-i", source.toString(), "-lavfi",
                "[0:v]split[a][b];[1:v]split[c][d];[a][c]ssim=stats_file=" + ssim + ";[b][d]psnr=stats_file=" + psnr,
                "-f", "null", "-");
        return new double[]{mean(ssim, SSIM_ALL), mean(psnr, PSNR_AVG)};
    }

    private static double mean(Path stats, Pattern p) throws Exception {
        double sum = 0;
        int n = 0;
        for (String line : Files.readAllLines(stats)) {
            Matcher m = p.matcher(line);
            if (m.find() && !m.group(1).equals("inf")) {
                sum += Double.parseDouble(m.group(1));
                n++;
            }
        }
        assertThat(n).as("frames measured in " + stats.getFileName()).isGreaterThan(200);
        return sum / n;
    }
}
