package io.streammix.worker.media;

import io.streammix.worker.NativeSetup;
import io.streammix.worker.engine.source.SyntheticSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/** Synthetic sources through libavfilter alone: what they yield, and that libavdevice stays unloaded. */
class FilterGraphSourceTest {

    @Test
    void readsPictureAndToneInterleavedByTime() {
        NativeSetup.quietFfmpeg(Map.of());
        String graph = SyntheticSource.toLavfiGraph("synthetic:testsrc?size=320x240&fps=15&tone=440");
        List<double[]> video = new ArrayList<>();
        List<double[]> audio = new ArrayList<>();
        int[] seen = new int[1];
        try (FilterGraphSource g = FilterGraphSource.open(graph, "in1")) {
            assertThat(g.bestStream(AVMEDIA_TYPE_VIDEO)).isZero();
            assertThat(g.bestStream(AVMEDIA_TYPE_AUDIO)).isEqualTo(1);
            boolean ended = g.pump(() -> seen[0]++ >= 120, (f, tb) -> {
                assertThat(f.width()).isEqualTo(320);
                assertThat(f.height()).isEqualTo(240);
                assertThat(f.format()).isEqualTo(AV_PIX_FMT_YUV420P);
                video.add(new double[]{Av.seconds(f.pts(), tb)});
            }, (f, tb) -> {
                assertThat(f.sample_rate()).isEqualTo(48_000);
                assertThat(f.nb_samples()).isEqualTo(480);
                audio.add(new double[]{Av.seconds(f.pts(), tb)});
            }, "in1");
            assertThat(ended).isFalse();
        }
        // 15 pictures and 100 audio frames make a second: read by time, 120 frames are about 1.04 s of each.
        assertThat(video).hasSizeBetween(15, 17);
        assertThat(audio).hasSizeBetween(103, 105);
        assertThat(video.get(1)[0]).isCloseTo(1 / 15.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Math.abs(video.get(video.size() - 1)[0] - audio.get(audio.size() - 1)[0])).isLessThan(0.1);
    }

    @Test
    void aToneOnlyGraphHasNoVideo() {
        try (FilterGraphSource g = FilterGraphSource.open(SyntheticSource.toLavfiGraph("synthetic:sine?frequency=880"), "in2")) {
            assertThat(g.bestStream(AVMEDIA_TYPE_VIDEO)).isEqualTo(-1);
            assertThat(g.bestStream(AVMEDIA_TYPE_AUDIO)).isZero();
            assertThat(g.timeBase(0).den()).isEqualTo(48_000);
        }
    }

    @Test
    void aBadGraphIsRefusedNamingTheInput() {
        assertThatThrownBy(() -> FilterGraphSource.open("nosuchfilter=x[out0]", "in3"))
                .isInstanceOf(MediaException.class).hasMessageStartingWith("in3: invalid filter graph");
        assertThatThrownBy(() -> FilterGraphSource.open("[in]null[out0]", "in4"))
                .isInstanceOf(MediaException.class).hasMessageContaining("in4").hasMessageContaining("unconnected input");
    }

    @Test
    void libavdeviceIsNeverLoaded() throws Exception {
        // Its bundled build links libpulse.so.0, libxcb*.so: loading it made the worker need them (issue 20). In a JVM of
        // its own: this one may have loaded it already for the ffmpeg tool (MediaTools loads the ffmpeg preset).
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MapsProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("libavfilter").doesNotContain("libavdevice").doesNotContain("libpulse");
    }

    /** Starts FFmpeg as the worker does, reads a synthetic source, prints the shared objects of the process. */
    public static final class MapsProbe {
        public static void main(String[] args) throws Exception {
            NativeSetup.quietFfmpeg(Map.of());
            try (FilterGraphSource g = FilterGraphSource.open(SyntheticSource.toLavfiGraph("synthetic:flashbeep"), "in5")) {
                g.read((f, i) -> { }, "in5");
            }
            Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(".so"))
                    .map(l -> l.substring(l.lastIndexOf('/') + 1)).distinct().forEach(System.out::println);
        }
    }
}
