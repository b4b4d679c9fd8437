package io.streammix.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerRuntime;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.engine.sei.SeiMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * userData and sound-level SEI as players receive them: from the worker's media port, live HTTP-FLV
 * ({@code /live/<key>.flv}, read while the mix runs) and HLS ({@code /live/<key>/index.m3u8}: playlist and segments
 * fetched over HTTP; MPEG-TS for H.264, fMP4 for H.265); and an RTMP push as the receiving server gets it (docs/sei.md
 * lists what each one carries). The SEI is read from the packet bytes each container
 * delivers ({@link SeiPackets}), so a lost, duplicated or malformed message, a foreign UUID in front of ours or a
 * message on the wrong frame shows.
 */
class SeiDeliveryMediaTest {
    private static final int FPS = 15;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** x265's own user_data_unregistered UUID (its version string): must never precede or replace ours. */
    private static final UUID X265 = UUID.fromString("2ca2de09-b517-47db-bb55-a4fe7fc2fc4e");
    /** x264's settings message, which libx264 puts on the first picture of an output only. */
    private static final UUID X264 = UUID.fromString("dc45e9bd-e6d9-48b7-962c-d820d923eeef");
    private static final String FIRST = "{\"room\":\"été ✓\",\"n\":1}";
    private static final String SECOND = "second";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    private WorkerRuntime rt;

    @AfterEach
    void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    private static MixTaskSpec spec(VideoCodec codec, String userData) {
        MixInput a = input("a", "synthetic:testsrc?size=320x180&fps=15&tone=440", 0, 0, 320, 180, 0);
        MixOutput o = MediaTools.fileOutput("show", Path.of("unused"), 320, 180, FPS);
        o.url = null;
        o.streamId = "show";
        o.video.codec = codec;
        MixTaskSpec s = MediaTools.spec(List.of(a), List.of(o));
        s.userData = userData;
        return s;
    }

    private String start(MixTaskSpec spec) throws Exception {
        EngineRun.prepare();
        rt = WorkerRuntime.start(new SpecSubmission(1, spec), new MixEngine.Config(dir, null), "127.0.0.1", 0, 0, "t");
        return "http://127.0.0.1:" + rt.mediaPort() + "/live/show";
    }

    @ParameterizedTest
    @EnumSource(VideoCodec.class)
    void userDataOverLiveHttpFlv(VideoCodec codec) throws Exception {
        String base = start(spec(codec, FIRST));
        await().atMost(Duration.ofSeconds(15)).until(() -> head(base + ".flv") == 200);
        // The FLV sequence header: H.265 goes as enhanced FLV (FourCC hvc1), H.264 as classic AVC (no FourCC).
        String start = new String(flvStart(base + ".flv", 1024), StandardCharsets.ISO_8859_1);
        assertThat(start.contains("hvc1")).as("enhanced FLV HEVC FourCC").isEqualTo(codec == VideoCodec.H265);
        SeiPackets.Read read;
        double applyAt;
        try (SeiPackets.Live live = new SeiPackets.Live(base + ".flv", "flv", java.util.Map.of())) {
            // The change lands mid-GOP, after the viewer's second keyframe.
            await().atMost(Duration.ofSeconds(15)).until(() -> live.frames().size() >= 2 * FPS + 6 || live.failure() != null);
            assertThat(live.failure()).isNull();
            applyAt = rt.engine().mixSeconds();
            assertThat(rt.engine().apply(new SpecSubmission(2, spec(codec, SECOND)))).isEmpty();
            int seen = live.frames().size();
            await().atMost(Duration.ofSeconds(15)).until(() -> live.frames().size() >= seen + 2 * FPS + 10 || live.failure() != null);
            assertThat(live.failure()).isNull();
            read = live.stop();
        }
        assertThat(read).isNotNull();
        assertThat(read.format()).isEqualTo("flv");
        assertThat(read.hevc()).isEqualTo(codec == VideoCodec.H265);
        assertThat(read.lengthSize()).as("NAL length size from avcC/hvcC").isEqualTo(4);
        assertThat(read.frames()).as("FLV carries length-prefixed NAL units").noneMatch(SeiPackets.Frame::annexB);
        int change = checkUserData(read.frames(), read.hevc());
        double changeAt = read.frames().get(change).time();
        System.out.printf("SEI HTTP-FLV %s: %d frames from %.3f s; apply at mix %.3f s, first frame with the new userData at"
                + " pts %.3f s (frame %d)%n", codec, read.frames().size(), read.frames().get(0).time(), applyAt, changeAt, change);
        // The first frame encoded after the apply: its pts is the mix time of that frame.
        assertThat(changeAt).as("pts of the first frame with the new userData").isBetween(applyAt - 0.2, applyAt + 1.0);
    }

    /**
     * An output pushed over RTMP, received by an RTMP server in this JVM (FFmpeg's rtmp protocol listening, its flv
     * demuxer reading the tags as a media server would get them). H.265 goes as enhanced FLV (FourCC hvc1).
     */
    @ParameterizedTest
    @EnumSource(VideoCodec.class)
    void userDataOverRtmpPush(VideoCodec codec) throws Exception {
        String url = "rtmp://127.0.0.1:" + MediaTools.freePort() + "/live/mix";
        SeiPackets.Read read;
        double applyAt;
        try (SeiPackets.Live live = new SeiPackets.Live(url, "flv", java.util.Map.of("listen", "1"))) {
            Thread.sleep(300); // listening before the output connects
            MixTaskSpec first = spec(codec, FIRST);
            first.outputs.get(0).url = url;
            first.outputs.get(0).streamId = null;
            rt = WorkerRuntime.start(new SpecSubmission(1, first), new MixEngine.Config(dir, null), "127.0.0.1", 0, 0, "t");
            await().atMost(Duration.ofSeconds(15)).until(() -> live.frames().size() >= 2 * FPS + 6 || live.failure() != null);
            assertThat(live.failure()).isNull();
            applyAt = rt.engine().mixSeconds();
            MixTaskSpec second = spec(codec, SECOND);
            second.outputs.get(0).url = url;
            second.outputs.get(0).streamId = null;
            assertThat(rt.engine().apply(new SpecSubmission(2, second))).isEmpty();
            int seen = live.frames().size();
            await().atMost(Duration.ofSeconds(15)).until(() -> live.frames().size() >= seen + 2 * FPS + 10 || live.failure() != null);
            assertThat(live.failure()).isNull();
            read = live.stop();
        }
        assertThat(read.format()).isEqualTo("flv");
        assertThat(read.hevc()).isEqualTo(codec == VideoCodec.H265);
        assertThat(read.lengthSize()).isEqualTo(4);
        assertThat(read.frames()).noneMatch(SeiPackets.Frame::annexB);
        int change = checkUserData(read.frames(), read.hevc());
        double changeAt = read.frames().get(change).time();
        System.out.printf("SEI RTMP %s: %d frames from %.3f s; apply at mix %.3f s, first frame with the new userData at"
                + " pts %.3f s (frame %d)%n", codec, read.frames().size(), read.frames().get(0).time(), applyAt, changeAt, change);
        assertThat(changeAt).isBetween(applyAt - 0.2, applyAt + 1.0);
    }

    @ParameterizedTest
    @EnumSource(VideoCodec.class)
    void userDataOverHls(VideoCodec codec) throws Exception {
        String base = start(spec(codec, FIRST));
        await().atMost(Duration.ofSeconds(15)).until(() -> rt.engine().mixSeconds() >= 2.4);
        double applyAt = rt.engine().mixSeconds();
        assertThat(rt.engine().apply(new SpecSubmission(2, spec(codec, SECOND)))).isEmpty();
        // Three finished 2 s segments: 0-2 s, 2-4 s (with the change), 4-6 s.
        await().atMost(Duration.ofSeconds(20)).until(() -> segments(playlist(base)).size() >= 3);
        String playlist = playlist(base);
        assertThat(playlist).contains("#EXT-X-MEDIA-SEQUENCE:0");
        boolean fmp4 = codec == VideoCodec.H265;
        byte[] init = fmp4 ? fetch(base + "/init.mp4") : new byte[0];
        if (fmp4) {
            assertThat(playlist).contains("#EXT-X-MAP:URI=\"init.mp4\"");
        }
        List<SeiPackets.Frame> frames = new ArrayList<>();
        boolean hevc = false;
        for (String seg : segments(playlist)) {
            assertThat(seg).endsWith(fmp4 ? ".m4s" : ".ts");
            // A segment on its own (fMP4: after the init section), as a player joining there reads it.
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(init);
            b.writeBytes(fetch(base + "/" + seg));
            Path local = Files.write(dir.resolve(seg + (fmp4 ? ".mp4" : "")), b.toByteArray());
            SeiPackets.Read r = SeiPackets.read(local.toString());
            assertThat(r.format()).isEqualTo(fmp4 ? "mov,mp4,m4a,3gp,3g2,mj2" : "mpegts");
            assertThat(r.lengthSize()).as("fMP4: hvcC length prefixes; TS: Annex B").isEqualTo(fmp4 ? 4 : 0);
            assertThat(r.frames()).as(seg + " framing").allMatch(f -> f.annexB() != fmp4);
            SeiPackets.Frame first = r.frames().get(0);
            assertThat(first.key()).as(seg + " starts with a keyframe").isTrue();
            assertThat(first.text(SeiMessages.USER_DATA)).as(seg + " starts with the current userData").isNotNull();
            // A decoding player (FFmpeg's side data, SeiReader) sees the same userData on the same frames.
            List<SeiReader.Frame> decoded = SeiReader.read(local);
            assertThat(decoded).as(seg + " decoded frames").hasSameSizeAs(r.frames());
            for (int i = 0; i < decoded.size(); i++) {
                assertThat(decoded.get(i).text(SeiMessages.USER_DATA)).as("%s frame %d decoded", seg, i)
                        .isEqualTo(r.frames().get(i).text(SeiMessages.USER_DATA));
            }
            hevc = r.hevc();
            frames.addAll(r.frames());
        }
        assertThat(hevc).isEqualTo(codec == VideoCodec.H265);
        if (!fmp4) {
            // MPEG-TS: each access unit opens with an access unit delimiter (H.264 NAL type 9).
            assertThat(frames).allMatch(f -> f.nalTypes().get(0) == 9);
        }
        assertThat(frames.get(0).time()).as("the first segment starts at the first frame").isLessThan(0.2);
        int change = checkUserData(frames, hevc);
        double changeAt = frames.get(change).time();
        System.out.printf("SEI HLS %s: %d frames in %d segments; apply at mix %.3f s, first frame with the new userData at"
                + " pts %.3f s (frame %d)%n", codec, frames.size(), segments(playlist).size(), applyAt, changeAt, change);
        assertThat(changeAt).isBetween(applyAt - 0.2, applyAt + 1.0);
    }

    /**
     * Checks the userData SEI of consecutive frames that start at a keyframe: keyframes exactly every 2 s, each
     * carrying the value of its time; besides them only the first frame with the new value; our UUID and the exact
     * UTF-8 bytes, once per frame, in an SEI NAL unit before the first slice, with no x265 UUID in the picture.
     *
     * @return the index of the first frame with the new value
     */
    private static int checkUserData(List<SeiPackets.Frame> frames, boolean hevc) {
        assertThat(frames.size()).as("frames read").isGreaterThan(4 * FPS);
        assertThat(frames.get(0).key()).as("the first frame read is a keyframe: %s", frames.get(0)).isTrue();
        List<Integer> keys = new ArrayList<>();
        List<Integer> carrying = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            SeiPackets.Frame f = frames.get(i);
            if (f.key()) {
                keys.add(i);
            }
            String t = f.text(SeiMessages.USER_DATA); // fails on a duplicate
            if (t != null) {
                carrying.add(i);
                List<byte[]> bodies = f.bodies(SeiMessages.USER_DATA);
                assertThat(bodies.get(0)).as("frame %d: exact userData bytes", i)
                        .isIn(FIRST.getBytes(StandardCharsets.UTF_8), SECOND.getBytes(StandardCharsets.UTF_8));
                assertThat(f.messages()).as("frame %d: no x265 UUID", i).noneMatch(m -> m.uuid().equals(X265));
                assertThat(seiBeforeFirstSlice(f, hevc)).as("frame %d: SEI before the first slice %s", i, f.nalTypes()).isTrue();
            }
        }
        List<Integer> cadence = new ArrayList<>();
        for (int i = 0; i < frames.size(); i += 2 * FPS) {
            cadence.add(i);
        }
        assertThat(keys).as("keyframes every 2 s").isEqualTo(cadence);
        for (int k : keys) {
            // IDR pictures: H.264 type 5; H.265 IDR_W_RADL 19 / IDR_N_LP 20 (open-gop=0: no CRA after the first).
            List<Integer> t = frames.get(k).nalTypes();
            assertThat(t).as("keyframe %d NAL types", k).anyMatch(hevc ? x -> x == 19 || x == 20 : x -> x == 5);
        }
        System.out.printf("keyframe NAL types: %s%n", keys.stream().map(k -> frames.get(k).nalTypes()).toList());
        for (int k : keys) {
            // And by the clock: a frame every 1/fps, no gap (a lost frame would shift the cadence the same way).
            assertThat(frames.get(k).time() - frames.get(0).time()).as("keyframe %d pts", k)
                    .isCloseTo(k / (double) FPS, org.assertj.core.data.Offset.offset(0.02));
        }
        assertThat(frames.get(0).text(SeiMessages.USER_DATA)).isEqualTo(FIRST);
        String previous = null;
        List<Integer> changes = new ArrayList<>();
        for (int i : carrying) {
            String t = frames.get(i).text(SeiMessages.USER_DATA);
            if (!t.equals(previous)) {
                changes.add(i);
            }
            previous = t;
        }
        assertThat(previous).as("the last userData carried").isEqualTo(SECOND);
        assertThat(changes).as("frames where userData changes").hasSize(2);
        int change = changes.get(1);
        assertThat(frames.get(change).key()).as("the change falls mid-GOP in this test").isFalse();
        List<Integer> expected = new ArrayList<>(keys);
        expected.add(change);
        expected.sort(null);
        assertThat(carrying).as("frames carrying userData: keyframes and the first frame after the change").isEqualTo(expected);
        for (int i = 0; i < frames.size(); i++) {
            boolean outputStart = i == 0; // the first frame read: the output's first when the reader was there from the start
            assertThat(frames.get(i).messages()).as("frame %d: only our messages (x264's on the output's first frame)", i)
                    .allMatch(m -> m.uuid().equals(SeiMessages.USER_DATA) || outputStart && m.uuid().equals(X264));
        }
        return change;
    }

    private static boolean seiBeforeFirstSlice(SeiPackets.Frame f, boolean hevc) {
        List<Integer> t = f.nalTypes();
        int sei = -1;
        int slice = -1;
        for (int i = 0; i < t.size(); i++) {
            int type = t.get(i);
            boolean isSei = hevc ? type == SeiBitstream.HEVC_PREFIX_SEI : type == SeiBitstream.H264_SEI;
            boolean isSlice = hevc ? type < 32 : type >= 1 && type <= 5;
            if (isSei && sei < 0) {
                sei = i;
            }
            if (isSlice && slice < 0) {
                slice = i;
            }
        }
        return sei >= 0 && slice > sei;
    }

    @Test
    void soundLevelsOverLiveHttpFlv() throws Exception {
        String base = start(levelSpec(100, 0));
        await().atMost(Duration.ofSeconds(15)).until(() -> head(base + ".flv") == 200);
        List<SeiPackets.Frame> frames;
        int swapped;
        try (SeiPackets.Live live = new SeiPackets.Live(base + ".flv", "flv", java.util.Map.of())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> live.frames().size() >= 2 * FPS + 8 || live.failure() != null);
            assertThat(rt.engine().apply(new SpecSubmission(2, levelSpec(0, 100)))).isEmpty();
            swapped = live.frames().size();
            await().atMost(Duration.ofSeconds(15)).until(() -> live.frames().size() >= swapped + 2 * FPS + 8 || live.failure() != null);
            assertThat(live.failure()).isNull();
            frames = live.stop().frames();
        }
        List<double[]> levels = new ArrayList<>(); // frame index, level of id 7, level of id 9
        for (int i = 0; i < frames.size(); i++) {
            SeiPackets.Frame f = frames.get(i);
            assertThat(f.text(SeiMessages.USER_DATA)).as("no userData SEI without userData").isNull();
            String json = f.text(SeiMessages.SOUND_LEVELS); // fails on a duplicate
            if (json != null) {
                JsonNode l = JSON.readTree(json).get("levels");
                assertThat(json).as("compact JSON, inputs in order").matches("\\{\"levels\":\\{\"7\":\\d+,\"9\":\\d+}}");
                levels.add(new double[]{i, l.get("7").asInt(), l.get("9").asInt()});
            }
        }
        double span = frames.get(frames.size() - 1).time() - frames.get(0).time() + 1.0 / FPS;
        System.out.printf("SEI HTTP-FLV sound levels: %d messages in %.2f s of %d frames%n", levels.size(), span, frames.size());
        assertThat(levels.size() / span).as("sound-level SEI per second").isBetween(9.0, 11.0);
        int before = 0;
        int after = 0;
        for (double[] l : levels) {
            if (l[0] >= 5 && l[0] < swapped - 5) {
                before++;
                assertThat(l[1]).as("input 7 loud at frame %.0f", l[0]).isGreaterThan(40).isGreaterThan(l[2]);
                assertThat(l[2]).as("input 9 silent at frame %.0f", l[0]).isZero();
            }
            if (l[0] > frames.size() - FPS) {
                after++;
                assertThat(l[2]).as("input 9 loud at frame %.0f", l[0]).isGreaterThan(40).isGreaterThan(l[1]);
                assertThat(l[1]).as("input 7 silent at frame %.0f", l[0]).isZero();
            }
        }
        assertThat(before).as("level messages checked before the swap").isGreaterThan(10);
        assertThat(after).as("level messages checked in the last second").isGreaterThanOrEqualTo(9);
    }

    /** SeiMediaTest's two tones, into an output served on the media port as {@code show}. */
    private static MixTaskSpec levelSpec(int volumeA, int volumeB) {
        MixOutput o = MediaTools.fileOutput("show", Path.of("unused"), 160, 90, FPS);
        o.url = null;
        o.streamId = "show";
        return SeiMediaTest.levelSpec(o, volumeA, volumeB);
    }

    private int head(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The first bytes of a live HTTP-FLV stream. */
    private byte[] flvStart(String url, int n) throws Exception {
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = r.body()) {
            return in.readNBytes(n);
        }
    }

    private String playlist(String base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/index.m3u8")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "";
    }

    private byte[] fetch(String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static List<String> segments(String playlist) {
        return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }
}
