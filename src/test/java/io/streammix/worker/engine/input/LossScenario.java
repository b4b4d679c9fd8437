package io.streammix.worker.engine.input;

import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.LossPolicy;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.EngineRun;
import io.streammix.worker.MediaTools;
import io.streammix.worker.contract.WorkerReport;
import io.streammix.worker.engine.MixEngine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One live input whose peer goes away and comes back, mixed into a recorded file, and what the recording shows
 * frame by frame. The peer sends a red picture with a white box that moves every frame (so the last real picture
 * can be told from a held one) and a 440 Hz tone; the placeholder is green, the background blue.
 */
final class LossScenario {
    static final int W = 320;
    static final int H = 240;
    static final int FPS = 25;
    static final int RED = 0xFF0000;
    static final int GREEN = 0x00FF00;
    static final int BLUE = 0x0000FF;
    /** Downscaled for analysis: the centre pixel tells the colour, the top rows the moving box. */
    private static final int AW = 80;
    private static final int AH = 60;

    /** A peer the input pulls from (a publisher, a server, a playlist writer). */
    interface Peer {
        void start() throws Exception;

        void stop() throws Exception;

        /** Called once the engine reports the input lost (e.g. an HLS origin drops the stale playlist). */
        default void lost() throws Exception {
        }
    }

    /** The lavfi sources of a test publisher (real time): picture and tone as described above. */
    static List<String> sourceArgs() {
        return List.of("-re", "-f", "lavfi", "-i", "color=c=red:size=" + W + "x" + H + ":rate=" + FPS + "[bg];"
                        + "color=c=white:size=32x32:rate=" + FPS + "[box];[bg][box]overlay=x='mod(n*8,288)':y=0[out0]",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", String.valueOf(FPS), "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "96k");
    }

    /** Starts the bundled ffmpeg publishing the test source with these output arguments. */
    static Process publish(Path log, String... output) throws IOException {
        List<String> args = new ArrayList<>(List.of("-loglevel", "error"));
        args.addAll(sourceArgs());
        args.addAll(List.of(output));
        return MediaTools.start(log, args.toArray(String[]::new));
    }

    /** A green PNG for onLoss then Image (smaller than the rect: it is scaled into it). */
    static Path greenPlaceholder(Path dir) throws Exception {
        Path png = dir.resolve("standby.png");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "color=c=0x00FF00:size=160x120", "-frames:v", "1", png.toString());
        return png;
    }

    static MixTaskSpec spec(String url, LossPolicy onLoss, Path recording) {
        MixInput in = MediaTools.input("cam", url, 0, 0, W, H, 0);
        in.onLoss = onLoss;
        MixTaskSpec spec = MediaTools.spec(List.of(in), List.of(MediaTools.fileOutput("rec", recording, W, H, FPS)));
        spec.background = new Background("#0000FF", null);
        return spec;
    }

    /** What happened around one loss, in mix time (seconds) and wall time. */
    record Loss(double killedAt, Instant killedWall, Instant lostSince, String reason, String nextAttemptAt, Integer attempts,
                double backAt, int attemptsBeforeReturn) {
        long detectionMillis() {
            return Duration.between(killedWall, lostSince).toMillis();
        }
    }

    /**
     * Runs one loss: waits for the input to be live for {@code liveSeconds}, stops the peer, waits {@code awaySeconds},
     * starts it again and waits until its picture has been back for a while.
     */
    static Loss lose(MixEngine engine, Peer peer, double awaySeconds, Duration detectWithin) throws Exception {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> state(engine).equals(WorkerReport.Input.LIVE));
        Thread.sleep(2000);
        double killedAt = engine.mixSeconds();
        Instant killedWall = Instant.now();
        peer.stop();
        await().atMost(detectWithin.plusSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> state(engine).equals(WorkerReport.Input.LOST));
        WorkerReport.Input lost = engine.report().inputs().get(0);
        peer.lost();
        Thread.sleep((long) (awaySeconds * 1000));
        WorkerReport.Input later = engine.report().inputs().get(0);
        double backAt = engine.mixSeconds();
        peer.start();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> state(engine).equals(WorkerReport.Input.LIVE));
        Thread.sleep(2500);
        assertThat(later.state()).as("still lost before the peer returns").isEqualTo(WorkerReport.Input.LOST);
        assertThat(later.lostSince()).as("lostSince stays put while retrying").isEqualTo(lost.lostSince());
        return new Loss(killedAt, killedWall, Instant.parse(lost.lostSince()), lost.reason(), later.nextAttemptAt(), later.attempts(),
                backAt, later.attempts() == null ? 0 : later.attempts());
    }

    static String state(MixEngine e) {
        return e.report().inputs().get(0).state();
    }

    /** Checks the status of a lost input: reason without the URL, lostSince, a next attempt soon, attempts counted. */
    static void checkStatus(Loss l, String url) {
        assertThat(l.reason()).isNotBlank().doesNotContain(url).doesNotContain("://").doesNotContain("127.0.0.1");
        assertThat(l.nextAttemptAt()).as("nextAttemptAt while lost").isNotNull();
        Instant next = Instant.parse(l.nextAttemptAt());
        assertThat(Duration.between(l.lostSince(), next).toMillis()).as("next attempt after the loss, on the schedule")
                .isBetween(0L, 60_000L);
        assertThat(l.attempts()).as("reconnect attempts while the peer is away").isGreaterThanOrEqualTo(1);
    }

    /** One recorded frame: its mix time, what the rect's centre shows, and whether the moving box moved since the last one. */
    record Frame(double time, int rgb, boolean moved) {
        boolean is(int color) {
            return Math.abs(((rgb >> 16) & 0xFF) - ((color >> 16) & 0xFF)) <= 60
                    && Math.abs(((rgb >> 8) & 0xFF) - ((color >> 8) & 0xFF)) <= 60
                    && Math.abs((rgb & 0xFF) - (color & 0xFF)) <= 60;
        }
    }

    /** Every video frame of the recording, in order, with its presentation time (= mix time: the file keeps it). */
    static List<Frame> frames(Path file) throws Exception {
        String times = new String(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-select_streams", "v:0",
                "-show_entries", "frame=pts_time", "-of", "csv=p=0", file.toString()), StandardCharsets.US_ASCII);
        List<Double> pts = times.lines().filter(s -> !s.isBlank()).map(s -> Double.parseDouble(s.split(",")[0])).toList();
        byte[] rgb = MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-i", file.toString(), "-map", "0:v:0",
                "-fps_mode", "passthrough", "-vf", "scale=" + AW + ":" + AH, "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        int size = AW * AH * 3;
        int n = Math.min(pts.size(), rgb.length / size);
        List<Frame> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int c = ((AH / 2) * AW + AW / 2) * 3 + k * size;
            int color = ((rgb[c] & 0xFF) << 16) | ((rgb[c + 1] & 0xFF) << 8) | (rgb[c + 2] & 0xFF);
            long diff = 0;
            if (k > 0) {
                for (int i = 0; i < AW * 8 * 3; i++) {
                    diff += Math.abs((rgb[k * size + i] & 0xFF) - (rgb[(k - 1) * size + i] & 0xFF));
                }
            }
            out.add(new Frame(pts.get(k), color, diff > 1500));
        }
        return out;
    }

    /** The frames from {@code from} on as runs of one colour: "2.440-4.720 s #FC0000 (58 moved)". */
    static String runs(List<Frame> f, int from) {
        StringBuilder b = new StringBuilder();
        int start = from;
        for (int k = from + 1; k <= f.size(); k++) {
            if (k == f.size() || Math.abs(f.get(k).rgb() - f.get(start).rgb()) > 0x202020 && !sameClass(f.get(k), f.get(start))) {
                long moved = f.subList(start, k).stream().filter(Frame::moved).count();
                b.append(String.format("%.3f-%.3f s #%06X (%d moved); ", f.get(start).time(), f.get(k - 1).time(), f.get(start).rgb(), moved));
                start = k;
            }
        }
        return b.toString();
    }

    private static boolean sameClass(Frame a, Frame b) {
        for (int c : new int[] {RED, GREEN, BLUE}) {
            if (a.is(c) && b.is(c)) {
                return true;
            }
        }
        return false;
    }

    static int firstAt(List<Frame> f, double t) {
        for (int k = 0; k < f.size(); k++) {
            if (f.get(k).time() >= t) {
                return k;
            }
        }
        return f.size();
    }

    static String describe(Frame f) {
        return String.format("%.3f s #%06X%s", f.time(), f.rgb(), f.moved() ? " moved" : "");
    }

    /**
     * What the recording showed around a loss.
     *
     * @param lastMoved  index of the input's last real picture before the loss
     * @param firstLost  first frame showing the loss display
     * @param firstBack  first frame of the input again
     */
    record Outcome(List<Frame> frames, int lastMoved, int firstLost, int firstBack) {
        double heldSeconds() {
            return frames.get(firstLost).time() - frames.get(lastMoved).time();
        }
    }

    /**
     * Checks every frame from a second before the loss to a second after the return: the input's red (moving), then its
     * last picture held (red, not moving), then {@code lossColor} on every frame until the input's red is back, then red.
     */
    static Outcome check(List<Frame> f, Loss l, int lossColor) {
        return check(f, l, lossColor, true);
    }

    /** @param motion false for a peer whose picture does not move (no last real picture to find: the hold is not measured) */
    static Outcome check(List<Frame> f, Loss l, int lossColor, boolean motion) {
        int from = firstAt(f, l.killedAt() - 1.0);
        assertThat(from).as("frames before the loss").isLessThan(f.size());
        while (from < f.size() && !f.get(from).is(RED) && f.get(from).time() < l.killedAt()) {
            from++; // the input's pictures reach the mix a moment after its report says Live
        }
        String seen = runs(f, from) + " (loss at " + l.killedAt() + ", back at " + l.backAt() + ", found after "
                + l.detectionMillis() + " ms: " + l.reason() + ")";
        int k = from;
        int lastMoved = -1;
        while (k < f.size() && f.get(k).is(RED)) {
            if (f.get(k).moved()) {
                lastMoved = k;
            }
            k++;
        }
        assertThat(k).as("the loss display appears: " + seen).isLessThan(f.size());
        if (motion) {
            assertThat(lastMoved).as("the input's picture moved before the loss: " + seen).isGreaterThanOrEqualTo(from);
        } else {
            lastMoved = k - 1;
        }
        int firstLost = k;
        while (k < f.size() && f.get(k).is(lossColor)) {
            k++;
        }
        assertThat(k).as("the input's picture is back: " + seen).isLessThan(f.size());
        // At most one frame between the two: the mix's own encoder at the cut, or the input's first picture while its
        // decoder settles (named in the message when there are more).
        String between = "";
        while (k < f.size() && !f.get(k).is(RED) && k - firstLost < f.size()) {
            between += describe(f.get(k)) + "; ";
            k++;
            if (between.split(";").length > 2) {
                break;
            }
        }
        int firstBack = k;
        assertThat(firstBack).as("the input's picture is back: " + seen).isLessThan(f.size());
        assertThat(between.split(";").length - 1).as("frames between the loss display and the input: " + between + seen)
                .isLessThanOrEqualTo(1);
        assertThat(f.get(firstBack).is(RED)).as("after the loss display comes the input: " + seen).isTrue();
        assertThat(f.get(firstLost).time()).as("the loss display lasts until after the peer's return")
                .isGreaterThan(l.killedAt()).isLessThan(l.backAt());
        for (int j = firstBack; j < f.size() && f.get(j).time() < f.get(firstBack).time() + 1.0; j++) {
            assertThat(f.get(j).is(RED)).as("the input stays back: " + describe(f.get(j))).isTrue();
        }
        return new Outcome(f, lastMoved, firstLost, firstBack);
    }

    /** The tone is there before the loss, gone while the loss display shows, and there again after the return. */
    static void checkTone(Path file, Outcome o, Loss l) throws Exception {
        double before = MediaTools.tone(MediaTools.pcm(file, l.killedAt() - 1.5, 1.0), 440);
        double lostFrom = o.frames().get(o.firstLost()).time() + 0.1;
        double lostTo = o.frames().get(o.firstBack()).time() - 0.3;
        double during = MediaTools.tone(MediaTools.pcm(file, lostFrom, Math.max(0.2, lostTo - lostFrom)), 440);
        double after = MediaTools.tone(MediaTools.pcm(file, o.frames().get(o.firstBack()).time() + 0.5, 0.8), 440);
        assertThat(before).as("tone before the loss").isGreaterThan(0.05);
        assertThat(during).as("tone while lost (%.3f before)", before).isLessThan(before / 20);
        assertThat(after).as("tone after the return").isGreaterThan(0.05);
    }

    /**
     * One loss of a peer on {@code protocol}: the engine pulls {@code url}, the peer goes away for {@code awaySeconds} and
     * returns; every frame and the tone are checked, the status too, and the figures printed.
     *
     * @param startPeerFirst false when the worker listens (the peer calls it): the engine starts first
     */
    static Outcome run(String protocol, Path dir, String url, Peer peer, LossPolicy onLoss, int lossColor, boolean motion,
                       boolean startPeerFirst, double awaySeconds, Duration detectWithin) throws Exception {
        Path rec = dir.resolve("mix-" + protocol.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", "") + ".mkv");
        MixEngine engine = null;
        Loss loss;
        try {
            if (startPeerFirst) {
                peer.start();
            }
            engine = start(spec(url, onLoss, rec), dir);
            if (!startPeerFirst) {
                Thread.sleep(700);
                peer.start();
            }
            loss = lose(engine, peer, awaySeconds, detectWithin);
            checkStatus(loss, url);
        } finally {
            if (engine != null) {
                engine.close();
            }
            peer.stop();
        }
        List<Frame> frames = frames(rec);
        Outcome o = check(frames, loss, lossColor, motion);
        checkTone(rec, o, loss);
        System.out.printf("%s: loss found %d ms after the peer went away (reason: %s); last new picture held %s;"
                        + " picture back %.3f s after the peer returned (%d attempts while away)%n",
                protocol, loss.detectionMillis(), loss.reason(), motion ? String.format("%.3f s", o.heldSeconds()) : "n/a (no motion)",
                frames.get(o.firstBack()).time() - loss.backAt(), loss.attempts());
        return o;
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    static MixEngine start(MixTaskSpec spec, Path dir) {
        EngineRun.prepare();
        return EngineRun.start(spec, dir);
    }

    private LossScenario() {
    }
}
