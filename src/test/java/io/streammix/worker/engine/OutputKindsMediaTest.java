package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.AudioEncoding;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.RateControl;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.WorkerReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every output kind the schema allows, in one mix (so they also run side by side): each file is probed for its
 * container, codecs, size, fps and audio channels. An SRT push is recorded by an ffmpeg listener. Outputs whose
 * container cannot hold their codecs fail alone, with a reason naming the field; HE-AAC is encoded as AAC-LC and
 * said so in the report's warnings.
 */
class OutputKindsMediaTest {
    static Path dir;
    static WorkerReport report;
    static WorkerReport second;
    static Process srtReceiver;

    /** One output kind and what its file must contain. */
    record Kind(String output, String file, String format, String video, int width, int height, String audio, int channels) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(
                new Kind("mp4", "out.mp4", "mov,mp4,m4a,3gp,3g2,mj2", "h264", 320, 240, "aac", 2),
                new Kind("mkv", "hevc-crf.mkv", "matroska,webm", "hevc", 256, 144, "mp3", 1),
                new Kind("flv", "out.flv", "flv", "h264", 320, 240, "mp3", 2),
                new Kind("ts", "out.ts", "mpegts", "h264", 160, 120, "aac", 1),
                new Kind("m4a", "audio.m4a", "mov,mp4,m4a,3gp,3g2,mj2", null, 0, 0, "aac", 2),
                new Kind("mp3", "audio.mp3", "mp3", null, 0, 0, "mp3", 2),
                new Kind("ogg", "audio.ogg", "ogg", null, 0, 0, "opus", 2),
                new Kind("opus", "mono.opus", "ogg", null, 0, 0, "opus", 1),
                new Kind("hls", "vol/index.m3u8", "hls", "hevc", 320, 240, "aac", 2),
                new Kind("srt", "srt.ts", "mpegts", "h264", 320, 240, "aac", 2));
    }

    @BeforeAll
    static void mix() throws Exception {
        dir = Files.createTempDirectory("kinds");
        EngineRun.prepare();
        int srtPort = MediaTools.freePort();
        srtReceiver = MediaTools.start(dir.resolve("srt.log"), "-loglevel", "error", "-i",
                "srt://127.0.0.1:" + srtPort + "?mode=listener", "-c", "copy", "-y", dir.resolve("srt.ts").toString());
        Thread.sleep(500);

        List<MixOutput> outs = new ArrayList<>();
        outs.add(MediaTools.fileOutput("mp4", dir.resolve("out.mp4"), 320, 240, 15));
        MixOutput mkv = MediaTools.fileOutput("mkv", dir.resolve("hevc-crf.mkv"), 256, 144, 15);
        mkv.video.codec = VideoCodec.H265;
        mkv.video.rateControl = RateControl.CRF;
        mkv.video.quality = 28;
        mkv.audio = audio(AudioCodec.MP3, 1);
        outs.add(mkv);
        MixOutput flv = MediaTools.fileOutput("flv", dir.resolve("out.flv"), 320, 240, 15);
        flv.audio = audio(AudioCodec.MP3, 2);
        outs.add(flv);
        MixOutput ts = MediaTools.fileOutput("ts", dir.resolve("out.ts"), 160, 120, 10);
        ts.audio = audio(AudioCodec.HE_AAC, 1);
        outs.add(ts);
        outs.add(audioOnly("m4a", "audio.m4a", null, 2));
        outs.add(audioOnly("mp3", "audio.mp3", null, 2)); // no codec given: the container's own (MP3)
        MixOutput ogg = audioOnly("ogg", "audio.ogg", null, 2); // start-mix's 1x1 recipe: audio only
        ogg.video = new VideoEncoding();
        ogg.video.width = 1;
        ogg.video.height = 1;
        ogg.video.fps = 15;
        ogg.video.bitrate = 1000;
        outs.add(ogg);
        outs.add(audioOnly("opus", "mono.opus", AudioCodec.OPUS, 1));
        // At most 8 outputs per task: the rest in a second mix, run at the same time.
        List<MixOutput> more = new ArrayList<>();
        MixOutput hls = MediaTools.fileOutput("hls", dir.resolve("vol/index.m3u8"), 320, 240, 15);
        hls.video.codec = VideoCodec.H265;
        more.add(hls);
        MixOutput srt = MediaTools.fileOutput("srt", dir.resolve("unused"), 320, 240, 15);
        srt.url = "srt://127.0.0.1:" + srtPort;
        more.add(srt);
        // Refused by their containers: video into an MP3 file, AAC into Ogg. Admission refuses these for a readable url
        // (AudioOnlyFileRulesTest); the worker still checks, for the names admission cannot read: Secret values, and
        // percent-escaped names like these (file:///.../bad%2Emp3 is bad.mp3 once decoded).
        MixOutput badVideo = MediaTools.fileOutput("bad-video", dir.resolve("bad.mp3"), 320, 240, 15);
        badVideo.url = escapedDot(dir.resolve("bad.mp3"));
        more.add(badVideo);
        MixOutput badAudio = audioOnly("bad-audio", "bad.ogg", AudioCodec.AAC_LC, 2);
        badAudio.url = escapedDot(dir.resolve("bad.ogg"));
        more.add(badAudio);

        var in = List.of(input("pattern", "synthetic:testsrc?size=320x240&fps=15&tone=440", 0, 0, 320, 240, 0));
        var engine = EngineRun.start(MediaTools.spec(in, outs), dir);
        var engine2 = EngineRun.start(MediaTools.spec(in, more), dir);
        Thread.sleep(4500);
        report = engine.report();
        second = engine2.report();
        engine.close();
        engine2.close();
        srtReceiver.waitFor(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (srtReceiver != null) {
            srtReceiver.destroy();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A file:// URL of {@code file} with its last dot percent-escaped. */
    private static String escapedDot(Path file) {
        String uri = file.toUri().toString();
        int dot = uri.lastIndexOf('.');
        return uri.substring(0, dot) + "%2E" + uri.substring(dot + 1);
    }

    private static AudioEncoding audio(AudioCodec codec, int channels) {
        AudioEncoding a = new AudioEncoding();
        a.codec = codec;
        a.bitrate = 64_000;
        a.channels = channels;
        return a;
    }

    private static MixOutput audioOnly(String name, String file, AudioCodec codec, int channels) {
        MixOutput o = new MixOutput();
        o.name = name;
        o.url = dir.resolve(file).toString();
        o.audio = audio(codec, channels);
        return o;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void eachKindHasItsCodecsSizeFpsAndChannels(Kind k) throws Exception {
        WorkerReport.Output out = output(k.output());
        assertThat(out.state()).as(k.file() + ": " + out.reason()).isEqualTo(WorkerReport.Output.LIVE);
        JsonNode probe = MediaTools.probe(dir.resolve(k.file()));
        assertThat(probe.get("format").get("format_name").asText()).isEqualTo(k.format());
        JsonNode v = MediaTools.stream(probe, "video");
        if (k.video() == null) {
            assertThat(v).as("an audio-only output has no video track").isNull();
        } else {
            assertThat(v.get("codec_name").asText()).isEqualTo(k.video());
            assertThat(v.get("width").asInt()).isEqualTo(k.width());
            assertThat(v.get("height").asInt()).isEqualTo(k.height());
            int fps = k.file().equals("out.ts") ? 10 : 15;
            assertThat(v.get("r_frame_rate").asText()).isEqualTo(fps + "/1");
        }
        JsonNode a = MediaTools.stream(probe, "audio");
        assertThat(a.get("codec_name").asText()).isEqualTo(k.audio());
        assertThat(a.get("channels").asInt()).isEqualTo(k.channels());
        assertThat(a.get("sample_rate").asInt()).isEqualTo(48000);
        if (!k.format().equals("hls")) {
            assertThat(probe.get("format").get("duration").asDouble()).as("about the mix's length").isBetween(2.5, 6.0);
        }
    }

    @Test
    void mp4IsFragmentedAndH264IsCbrWithVbv() throws Exception {
        String mp4 = new String(Files.readAllBytes(dir.resolve("out.mp4")), StandardCharsets.ISO_8859_1);
        assertThat(mp4).as("fragmented: survives a crash").contains("moof");
        assertThat(mp4).as("x264's settings SEI").contains("rc=cbr").contains("vbv_maxrate=1500");
        String m4a = new String(Files.readAllBytes(dir.resolve("audio.m4a")), StandardCharsets.ISO_8859_1);
        assertThat(m4a).contains("moof");
    }

    @Test
    void h265CrfOutputUsesCrf() throws Exception {
        String mkv = new String(Files.readAllBytes(dir.resolve("hevc-crf.mkv")), StandardCharsets.ISO_8859_1);
        assertThat(mkv).as("x265's settings SEI").contains("rc=crf").contains("crf=28.0");
    }

    @Test
    void hlsOnAVolumeIsARollingPlaylistWithFmp4SegmentsForH265() throws Exception {
        String playlist = Files.readString(dir.resolve("vol/index.m3u8"));
        assertThat(playlist).contains("#EXT-X-MAP:URI=\"init.mp4\"").contains(".m4s").contains("#EXT-X-ENDLIST");
        assertThat(dir.resolve("vol/init.mp4")).exists();
        try (var files = Files.list(dir.resolve("vol"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aContainerThatCannotHoldTheCodecsFailsThatOutputOnlyNamingTheField() {
        WorkerReport.Output badVideo = output("bad-video");
        assertThat(badVideo.state()).isEqualTo(WorkerReport.Output.FAILED);
        assertThat(badVideo.reason()).startsWith("spec.outputs[2].video: a .mp3 file holds audio only");
        WorkerReport.Output badAudio = output("bad-audio");
        assertThat(badAudio.state()).isEqualTo(WorkerReport.Output.FAILED);
        assertThat(badAudio.reason()).startsWith("spec.outputs[3].audio.codec: a .ogg file holds OPUS audio only, not AAC_LC");
        assertThat(second.outputs().stream().filter(o -> !o.name().startsWith("bad")))
                .allMatch(o -> o.state().equals(WorkerReport.Output.LIVE));
        assertThat(second.state()).isEqualTo(WorkerReport.DEGRADED);
    }

    @Test
    void heAacIsEncodedAsAacLcAndReportedInTheWarnings() {
        assertThat(report.warnings()).anyMatch(w -> w.contains("output ts") && w.contains("HE_AAC") && w.contains("AAC-LC"));
    }

    @Test
    void everyKindIsAlsoPublishedOnTheMediaPortWithoutWarnings() {
        // The HTTP-FLV and HLS extras of each output took its codecs (Opus in FLV, MP3 in HLS, H.265...).
        assertThat(report.warnings()).allMatch(w -> w.contains("HE_AAC"));
        assertThat(second.warnings()).isNull();
    }

    private static WorkerReport.Output output(String name) {
        return Stream.concat(report.outputs().stream(), second.outputs().stream()).filter(o -> o.name().equals(name))
                .findFirst().orElseThrow();
    }
}
