package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.status.OutputFigures;
import io.streammix.worker.media.Demuxer;
import io.streammix.worker.media.Interrupter;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/** Bypass: the outputs carry the input's packets unchanged (same bytes, same order, same relative times). */
class BypassMediaTest {
    @TempDir
    Path dir;

    /** One packet as read back: a hash of its payload, its pts in seconds, and its key flag. */
    record Pkt(String md5, double pts, boolean key) {
    }

    @Test
    void fileInputPacketsReachEveryOutputUnchanged() throws Exception {
        Path in = dir.resolve("in.mp4");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-bf", "2", "-c:a", "aac", "-b:a", "96k", in.toString());
        MixOutput mp4 = MediaTools.fileOutput("mp4", dir.resolve("out.mp4"), 640, 360, 30);
        MixOutput flv = MediaTools.fileOutput("flv", dir.resolve("out.flv"), 640, 360, 30);
        MixOutput audio = MediaTools.fileOutput("audio", dir.resolve("out-audio.mkv"), 0, 0, 30);
        audio.video = null;
        MixTaskSpec spec = MediaTools.spec(List.of(input("cam", in.toString(), 0, 0, 640, 360, 0)), List.of(mp4, flv, audio));
        spec.bypass = true;

        var engine = EngineRun.start(spec, dir);
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> "end of file".equals(engine.report().inputs().get(0).reason()));
            assertThat(engine.report().outputs()).extracting(WorkerReport.Output::state).containsOnly(WorkerReport.Output.LIVE);
            assertThat(engine.report().warnings()).isNull();
            assertThat(engine.figures().outputs()).extracting(OutputFigures::name, OutputFigures::state).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("mp4", "Live"), org.assertj.core.groups.Tuple.tuple("flv", "Live"),
                    org.assertj.core.groups.Tuple.tuple("audio", "Live"));
            assertThat(engine.figures().outputs()).filteredOn(o -> o.name().equals("flv")).singleElement()
                    .satisfies(o -> assertThat(o.frames()).as("video packets relayed").isPositive());
        } finally {
            engine.close();
        }

        Map<Integer, List<Pkt>> source = packets(in);
        assertThat(source.get(AVMEDIA_TYPE_VIDEO)).hasSizeGreaterThanOrEqualTo(75);
        for (Path out : List.of(dir.resolve("out.flv"), dir.resolve("out.mp4"))) {
            Map<Integer, List<Pkt>> got = packets(out);
            for (int type : List.of(AVMEDIA_TYPE_VIDEO, AVMEDIA_TYPE_AUDIO)) {
                List<Pkt> a = source.get(type);
                List<Pkt> b = got.get(type);
                assertThat(b).as(out.getFileName() + " stream type " + type).isNotNull();
                assertThat(b.stream().map(Pkt::md5).toList()).as(out.getFileName() + " payloads of stream type " + type)
                        .isEqualTo(a.stream().map(Pkt::md5).toList());
                assertThat(b.stream().map(Pkt::key).toList()).isEqualTo(a.stream().map(Pkt::key).toList());
                // One shift for every packet of both streams, so relative times and A/V sync are kept. Fragmented MP4
                // (empty moov, no edit list) reads back the first packet of a track at 0 whatever it was written at,
                // as after `ffmpeg -c copy` (here the AAC priming packet, at -21 ms in the source): from the second on.
                double shift = got.get(AVMEDIA_TYPE_VIDEO).get(0).pts() - source.get(AVMEDIA_TYPE_VIDEO).get(0).pts();
                for (int i = out.toString().endsWith(".mp4") ? 1 : 0; i < a.size(); i++) {
                    assertThat(b.get(i).pts() - a.get(i).pts()).as(out.getFileName() + " packet " + i + " of type " + type)
                            .isCloseTo(shift, within(0.0015));
                }
            }
        }
        Map<Integer, List<Pkt>> audioOnly = packets(dir.resolve("out-audio.mkv"));
        assertThat(audioOnly).containsOnlyKeys(AVMEDIA_TYPE_AUDIO);
        assertThat(audioOnly.get(AVMEDIA_TYPE_AUDIO).stream().map(Pkt::md5).toList())
                .isEqualTo(source.get(AVMEDIA_TYPE_AUDIO).stream().map(Pkt::md5).toList());
    }

    /**
     * An RTMP input served by the bundled ffmpeg from a file, relayed to an RTMP receiver and a file. The source
     * ends and comes back with the same file (same stream parameters: the outputs go on, from a keyframe), then
     * with a smaller picture (new parameters: the file output goes on in out-2.flv, the RTMP output publishes again).
     */
    @Test
    void rtmpInputReconnectsWithSameAndWithNewStreamParameters() throws Exception {
        Path a = dir.resolve("a.flv");
        Path c = dir.resolve("c.flv");
        for (Path p : List.of(a, c)) {
            String size = p == a ? "320x240" : "160x120";
            MediaTools.ffmpeg("-f", "lavfi", "-i", "testsrc=size=" + size + ":rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-b:a", "64k", p.toString());
        }
        int inPort = MediaTools.freePort();
        int outPort = MediaTools.freePort();
        Path recorded = dir.resolve("recorded.flv");
        Process receiver = MediaTools.start(dir.resolve("receiver.log"), "-loglevel", "error", "-listen", "1",
                "-i", "rtmp://127.0.0.1:" + outPort + "/live/relay", "-c", "copy", "-y", recorded.toString());
        Process source = serve(a, inPort);
        Thread.sleep(500);
        MixOutput push = MediaTools.fileOutput("push", dir.resolve("unused"), 320, 240, 25);
        push.url = "rtmp://127.0.0.1:" + outPort + "/live/relay";
        MixOutput file = MediaTools.fileOutput("file", dir.resolve("out.flv"), 320, 240, 25);
        MixTaskSpec spec = MediaTools.spec(List.of(input("cam", "rtmp://127.0.0.1:" + inPort + "/live/src", 0, 0, 320, 240, 0)),
                List.of(push, file));
        spec.bypass = true;
        var engine = EngineRun.start(spec, dir);
        try {
            for (Path next : List.of(a, c)) {
                assertThat(source.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).as("source finished").isTrue();
                source = serve(next, inPort);
            }
            assertThat(source.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> WorkerReport.Input.LOST.equals(engine.report().inputs().get(0).state()));
            assertThat(receiver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("the receiver saw its stream end at the reopen").isTrue();
            Thread.sleep(500);
            assertThat(engine.report().outputs().get(1).files()).containsExactly(dir.resolve("out.flv").toString(), dir.resolve("out-2.flv").toString());
        } finally {
            engine.close();
            source.destroy();
            receiver.destroy();
        }
        List<String> av = md5s(packets(a).get(AVMEDIA_TYPE_VIDEO));
        List<String> cv = md5s(packets(c).get(AVMEDIA_TYPE_VIDEO));
        List<String> twice = new ArrayList<>(av);
        twice.addAll(av);
        assertThat(md5s(packets(dir.resolve("out.flv")).get(AVMEDIA_TYPE_VIDEO))).as("file: first source, twice").isEqualTo(twice);
        assertThat(md5s(packets(dir.resolve("out-2.flv")).get(AVMEDIA_TYPE_VIDEO))).as("file: the new source").isEqualTo(cv);
        assertThat(md5s(packets(recorded).get(AVMEDIA_TYPE_VIDEO))).as("RTMP: first source, twice").isEqualTo(twice);
        var probe = MediaTools.probe(dir.resolve("out-2.flv"));
        assertThat(MediaTools.stream(probe, "video").get("width").asInt()).isEqualTo(160);
    }

    @Test
    void aSyntheticSourceCannotBeBypassedAndSaysWhy() {
        MixTaskSpec spec = MediaTools.spec(List.of(input("gen", "synthetic:testsrc", 0, 0, 320, 240, 0)),
                List.of(MediaTools.fileOutput("out", dir.resolve("never.mp4"), 320, 240, 15)));
        spec.bypass = true;
        var engine = EngineRun.start(spec, dir);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> WorkerReport.Input.LOST.equals(engine.report().inputs().get(0).state()));
            assertThat(engine.report().inputs().get(0).reason()).contains("bypass needs an encoded stream or file");
            assertThat(engine.report().outputs()).extracting(WorkerReport.Output::state).containsOnly(WorkerReport.Output.CONNECTING);
        } finally {
            engine.close();
        }
        assertThat(dir.resolve("never.mp4")).doesNotExist();
    }

    private Process serve(Path file, int port) throws Exception {
        return MediaTools.start(dir.resolve("src-" + System.nanoTime() + ".log"), "-loglevel", "error", "-re", "-i", file.toString(),
                "-c", "copy", "-f", "flv", "-listen", "1", "rtmp://127.0.0.1:" + port + "/live/src");
    }

    private static List<String> md5s(List<Pkt> p) {
        return p.stream().map(Pkt::md5).toList();
    }

    /** The packets of a file, by media type, in file order. */
    static Map<Integer, List<Pkt>> packets(Path file) throws Exception {
        SeiReader.class.getName(); // natives prepared
        Map<Integer, List<Pkt>> m = new LinkedHashMap<>();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (Interrupter i = new Interrupter();
             Demuxer d = Demuxer.open(file.toString(), null, Map.of(), i, 5000, 5000, "read")) {
            AVPacket pkt = av_packet_alloc();
            try {
                while (d.read(pkt, "read")) {
                    AVStream st = d.stream(pkt.stream_index());
                    int type = st.codecpar().codec_type();
                    byte[] b = new byte[pkt.size()];
                    pkt.data().capacity(pkt.size()).get(b);
                    double pts = pkt.pts() * st.time_base().num() / (double) st.time_base().den();
                    m.computeIfAbsent(type, k -> new ArrayList<>()).add(new Pkt(HexFormat.of().formatHex(md5.digest(b)), pts,
                            (pkt.flags() & AV_PKT_FLAG_KEY) != 0));
                    av_packet_unref(pkt);
                }
            } finally {
                av_packet_free(pkt);
            }
        }
        return m;
    }
}
