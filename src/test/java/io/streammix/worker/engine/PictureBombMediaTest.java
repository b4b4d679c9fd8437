package io.streammix.worker.engine;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.validation.Violation;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.media.Decoder;
import io.streammix.worker.media.PictureTooLargeException;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/**
 * Issue 13, finding 4: the audit's PNG bomb (16000x16000 RGB, under a megabyte) as a background edit of a running mix.
 * Before: the worker decoded it under the engine's lock (1.94 GB RSS, apply held 15 s, the output clock stalled). Now
 * the edit is refused from the PNG's header, naming the field, in well under a second, with the worker's memory flat
 * and the mix's frame rate unchanged. Also: a stream that says it is 7680x4320 is refused before its decoder opens.
 */
class PictureBombMediaTest {
    private static final int FPS = 15;
    @TempDir
    Path dir;

    /** A valid PNG of {@code w}x{@code h} black RGB pixels: rows of zeros compress about 1000:1. */
    static Path pngBomb(Path file, int w, int h) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
            byte[] row = new byte[1 + 3 * w]; // filter byte 0, then RGB
            for (int y = 0; y < h; y++) {
                z.write(row);
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                    .put((byte) 0).put((byte) 0).array());
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    /**
     * A valid 64x64 PNG whose ancillary chunks inflate to {@code megabytes} MB each: a zTXt text and an iCCP profile of
     * zeros, compressed about 1000:1 (the audit's 486 KB file of this kind took the worker from 214 MB to 1.1 GB).
     */
    static Path metadataBomb(Path file, int megabytes) throws IOException {
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(9), 1 << 16)) {
            for (int i = 0; i < megabytes; i++) {
                d.write(zeros);
            }
        }
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(idat)) {
            d.write(new byte[64 * (1 + 3 * 64)]);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(64).putInt(64).put((byte) 8).put((byte) 2).put((byte) 0)
                    .put((byte) 0).put((byte) 0).array());
            ByteArrayOutputStream iccp = new ByteArrayOutputStream();
            iccp.write("icc\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            iccp.write(z.toByteArray());
            chunk(out, "iCCP", iccp.toByteArray());
            ByteArrayOutputStream ztxt = new ByteArrayOutputStream();
            ztxt.write("Comment\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            ztxt.write(z.toByteArray());
            chunk(out, "zTXt", ztxt.toByteArray());
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    /**
     * Issue 21, finding 3: only width x height was capped, and a PNG's zTXt/iCCP chunks inflated without bound inside
     * FFmpeg's decoder. Now their inflated size is counted before decoding, with a budget, and the picture is refused
     * naming the field: the worker's memory stays flat.
     */
    @Test
    void aPngWhoseMetadataInflatesIsRefusedBeforeDecodingNamingTheField() throws Exception {
        EngineRun.prepare();
        Path bomb = metadataBomb(dir.resolve("meta.png"), 500);
        assertThat(Files.size(bomb)).as("the bomb is small on disk").isLessThan(1_200_000);
        long rssBefore = rssBytes();
        long t0 = System.nanoTime();
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                () -> io.streammix.worker.engine.scene.StillImages.decode(bomb.toString(), "spec.background.image"));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long rssGrowth = rssBytes() - rssBefore;
        System.out.printf("PNG metadata bomb 2x500 MB inflated (%d bytes): refused in %d ms, RSS growth %d MB%n",
                Files.size(bomb), millis, rssGrowth >> 20);
        assertThat(rssGrowth).as("RSS growth").isLessThan(100L << 20);
        assertThat(refused).isInstanceOf(PictureTooLargeException.class)
                .hasMessageStartingWith("spec.background.image:").hasMessageContaining("iCCP").hasMessageNotContaining("meta.png");
        assertThat(millis).as("refused, ms").isLessThan(1000);
        // A picture with small metadata still decodes.
        io.streammix.worker.media.Frames.free(io.streammix.worker.engine.scene.StillImages.decode(
                metadataBomb(dir.resolve("small.png"), 0).toString(), "spec.background.image"));
    }

    /**
     * Issue 21, finding 3, leftover: the metadata count ran for pictures only. The same bomb as an input whose path has
     * no picture extension (FFmpeg probes it as png_pipe), or as an animated PNG, was decoded as a stream by
     * {@code avformat_find_stream_info} and the input's decoder: before, the peak RSS grew by about 1 GB (two chunks of
     * 500 MB). Now a stream of PNG or
     * APNG frames is refused from its header, before anything decodes it.
     */
    @Test
    void pngFramesInAStreamAreRefusedBeforeAnythingDecodesThem() throws Exception {
        EngineRun.prepare();
        Path plain = metadataBomb(dir.resolve("slide"), 500);
        Path apng = dir.resolve("anim");
        byte[] b = Files.readAllBytes(plain);
        try (OutputStream out = Files.newOutputStream(apng)) {
            out.write(b, 0, 8 + 25); // signature, IHDR
            chunk(out, "acTL", ByteBuffer.allocate(8).putInt(1).putInt(0).array());
            out.write(b, 8 + 25, b.length - 8 - 25);
        }
        for (Path bomb : new Path[] {plain, apng}) {
            // The peak, not the RSS after: the decoder's inflated buffers are freed with each frame. Where the peak cannot
            // be reset (a /proc without clear_refs), the RSS after is all there is.
            boolean peak = resetPeakRss();
            long rssBefore = rssBytes();
            Throwable refused;
            try (io.streammix.worker.media.Interrupter i = new io.streammix.worker.media.Interrupter()) {
                refused = org.assertj.core.api.Assertions.catchThrowable(() -> decodeFirstFrame(bomb, i));
            }
            long peakGrowth = (peak ? peakRssBytes() : rssBytes()) - rssBefore;
            System.out.printf("PNG metadata bomb as a stream (%s, %d bytes): peak RSS growth %d MB%n", bomb.getFileName(),
                    Files.size(bomb), peakGrowth >> 20);
            assertThat(peakGrowth).as("peak RSS growth, " + bomb.getFileName()).isLessThan(100L << 20);
            assertThat(refused).as(bomb.getFileName().toString()).isInstanceOf(io.streammix.worker.media.MediaException.class)
                    .hasMessageStartingWith("spec.inputs[0]: refused: not allowed: PNG frames in a stream");
        }
    }

    /** What an input does with a stream: open it (probing its streams), then decode its first video packet. */
    private static void decodeFirstFrame(Path file, io.streammix.worker.media.Interrupter i) {
        try (io.streammix.worker.media.Demuxer d = io.streammix.worker.media.Demuxer.open(file.toString(), null,
                java.util.Map.of(), i, 5000, 5000, "spec.inputs[0]")) {
            int vs = d.bestStream(AVMEDIA_TYPE_VIDEO);
            org.bytedeco.ffmpeg.avcodec.AVPacket pkt = org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc();
            try (Decoder dec = new Decoder(d.stream(vs), "spec.inputs[0]")) {
                while (d.read(pkt, "spec.inputs[0]")) {
                    boolean video = pkt.stream_index() == vs;
                    if (video) {
                        dec.decode(pkt, f -> { }, "spec.inputs[0]");
                    }
                    org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(pkt);
                    if (video) {
                        break;
                    }
                }
            } finally {
                org.bytedeco.ffmpeg.global.avcodec.av_packet_free(pkt);
            }
        }
    }

    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static long peakRssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmHWM");
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    private static long frames(MixEngine e) {
        WorkerReport.Output o = e.report().outputs().get(0);
        return o.frames() == null ? 0 : o.frames();
    }

    @Test
    void theBombIsRefusedNamingTheFieldWhileTheMixKeepsItsFrameRate() throws Exception {
        EngineRun.prepare();
        Path bomb = pngBomb(dir.resolve("bomb.png"), 16000, 16000);
        assertThat(Files.size(bomb)).as("the bomb is small on disk").isLessThan(1_000_000);
        MixTaskSpec spec = MediaTools.spec(List.of(input("cam", "synthetic:testsrc?size=320x240&fps=15", 0, 0, 320, 240, 0)),
                List.of(MediaTools.fileOutput("main", dir.resolve("bomb.mp4"), 320, 240, FPS)));
        MixEngine engine = MixEngine.start(new SpecSubmission(1, spec), new MixEngine.Config(dir, null));
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> frames(engine) > FPS);
            MixTaskSpec edit = MediaTools.copy(spec);
            edit.background = new Background("#000000", bomb.toString());

            long rssBefore = rssBytes();
            long framesBefore = frames(engine);
            long t0 = System.nanoTime();
            List<Violation> refused = engine.apply(new SpecSubmission(2, edit));
            long applyMillis = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(2000);
            double fps = (frames(engine) - framesBefore) / ((System.nanoTime() - t0) / 1e9);
            long rssGrowth = rssBytes() - rssBefore;
            System.out.printf("PNG bomb 16000x16000 (%d bytes): apply %d ms, RSS growth %d MB, output %.1f fps%n",
                    Files.size(bomb), applyMillis, rssGrowth >> 20, fps);

            assertThat(refused).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo("spec.background.image");
                assertThat(v.toString()).contains("16000x16000").doesNotContain(bomb.toString());
            });
            assertThat(applyMillis).as("apply, ms").isLessThan(1000);
            assertThat(rssGrowth).as("RSS growth").isLessThan(100L << 20);
            assertThat(fps).as("the mix keeps its frame rate").isBetween(FPS * 0.8, FPS * 1.2);
            assertThat(engine.report().generation()).as("nothing applied").isEqualTo(1);
            assertThat(engine.report().lastUpdate().result()).isEqualTo("Failed");
        } finally {
            engine.close();
        }
    }

    @Test
    void aStreamOver4kIsRefusedBeforeItsDecoderOpens() {
        EngineRun.prepare();
        AVFormatContext ctx = avformat_alloc_context();
        try {
            AVStream st = avformat_new_stream(ctx, null);
            st.codecpar().codec_type(AVMEDIA_TYPE_VIDEO).codec_id(AV_CODEC_ID_H264).width(7680).height(4320);
            assertThatThrownBy(() -> new Decoder(st, "spec.inputs[0]")).isInstanceOf(PictureTooLargeException.class)
                    .hasMessageStartingWith("spec.inputs[0]: the picture is 7680x4320");
            st.codecpar().width(3840).height(2160);
            new Decoder(st, "spec.inputs[0]").close();
        } finally {
            avformat_free_context(ctx);
        }
    }
}
