package io.streammix.worker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How close two encodes of the same picture sequence are, measured with FFmpeg's own {@code ssim} and {@code psnr}
 * filters (the bundled ffmpeg): for a benchmark that compares the engine's output with the ffmpeg CLI's. The two
 * files start at different points of the sources (the worker starts later than ffmpeg), and the engine, a live mixer,
 * may repeat or drop a source picture, so pictures are matched one by one on small grey copies: the first by the one
 * offset with the least difference over a window, each next one to the closest of the next few reference pictures.
 * The filters then run over the matched pairs only; the offsets, repeats and skips are reported with the figures, and
 * one matched pair per call is written as PNGs under {@code target/ladder-quality} to look at.
 */
public final class RungQuality {
    private static final int SMALL_W = 160;
    private static final int SMALL_H = 90;
    /** Pictures over which the first match (the anchor) is chosen. */
    private static final int WINDOW = 30;
    /** How far past its last match the next picture of a is looked for in b (a live mixer may drop a source picture or two). */
    private static final int TRACK = 3;
    private static final Pattern SSIM = Pattern.compile("SSIM Y:([0-9.]+).* All:([0-9.]+)");
    private static final Pattern PSNR = Pattern.compile("PSNR (y:[0-9.inf]+ u:[0-9.inf]+ v:[0-9.inf]+) average:([0-9.inf]+)");

    private RungQuality() {
    }

    /**
     * @param minOffset,maxOffset the least and greatest offset of a matched picture of {@code b} against {@code a}
     * @param repeats  pictures of {@code a} that repeat an already matched picture of {@code b} (not measured)
     * @param skipped  pictures of {@code b} between matched ones that {@code a} never showed
     * @param frames pictures compared (pairs)
     * @param ssim   SSIM over all planes (1 = identical)
     * @param psnr   PSNR over all planes, dB
     * @param framesA,framesB frames in each file
     */
    public record Result(int minOffset, int maxOffset, int repeats, int skipped, int frames, double ssim, double psnr, String planes,
                         int framesA, int framesB) {
        public String describe() {
            return String.format("PSNR %.2f dB (%s), SSIM %.4f over %d frames (offset %d..%d, %d repeated, %d skipped); %d frames in the file",
                    psnr, planes, ssim, frames, minOffset, maxOffset, repeats, skipped, framesA);
        }
    }

    /**
     * Compares {@code a} (from its frame {@code from} on) with {@code b}, aligned.
     *
     * @param maxShift the offsets tried are -maxShift..maxShift frames
     */
    public static Result compare(Path a, Path b, int from, int frames, int maxShift) throws IOException, InterruptedException {
        return compare(a, b, from, frames, maxShift, "");
    }

    /**
     * As {@link #compare(Path, Path, int, int, int)} over the window {@code (x, y, w, h)} of both pictures, aligned on
     * its own: the engine anchors each input on the mix timeline when its first frame arrives, so two cells of one
     * composite may show their sources a frame apart, where ffmpeg's {@code -re} inputs all start together.
     */
    public static Result compareCell(Path a, Path b, int from, int frames, int maxShift, int x, int y, int w, int h)
            throws IOException, InterruptedException {
        return compare(a, b, from, frames, maxShift, "crop=" + w + ":" + h + ":" + x + ":" + y + ",");
    }

    private static Result compare(Path a, Path b, int from, int frames, int maxShift, String crop) throws IOException, InterruptedException {
        byte[][] sa = small(a, from, frames, crop);
        int bFrom = Math.max(0, from - maxShift);
        byte[][] sb = small(b, bFrom, frames + 2 * maxShift, crop);
        int anchor = from + bestShift(sa, sb, from, bFrom, maxShift) - bFrom;
        // Frame by frame, not one offset: the engine paces its inputs on a live clock, so over 90 frames it repeats
        // or drops source pictures (its files hold ~5 % fewer frames than ffmpeg's) and a fixed offset drifts off the
        // picture within a few frames (20 dB where the encode is at 40). Each picture of a is matched to the nearest
        // of the next few pictures of b; a repeat of an already matched picture is left out, so every picture of b is
        // measured once.
        List<Integer> pa = new ArrayList<>();
        List<Integer> pb = new ArrayList<>();
        int prev = -1;
        int repeats = 0;
        int skipped = 0;
        int minOffset = Integer.MAX_VALUE;
        int maxOffset = Integer.MIN_VALUE;
        for (int i = 0; i < sa.length; i++) {
            int j = i == 0 ? anchor : nearest(sa[i], sb, prev, prev + TRACK);
            if (j < 0) {
                break;
            }
            if (j == prev) {
                repeats++;
                continue;
            }
            if (prev >= 0) {
                skipped += j - prev - 1;
            }
            prev = j;
            pa.add(from + i);
            pb.add(bFrom + j);
            minOffset = Math.min(minOffset, bFrom + j - from - i);
            maxOffset = Math.max(maxOffset, bFrom + j - from - i);
        }
        // psnr passes its first input through: one decode of each file feeds both filters. Both sides get the same
        // time base and a pts per kept picture, so the metrics' frame sync pairs them one to one.
        String graph = "[0:v]" + pick(pa) + crop + "null[a];[1:v]" + pick(pb) + crop + "split[b1][b2];[a][b1]psnr[p];[p][b2]ssim";
        String log = filter(a, b, graph, pa.size());
        Matcher s = SSIM.matcher(log);
        Matcher p = PSNR.matcher(log);
        if (!s.find() || !p.find()) {
            throw new IOException("no SSIM/PSNR line from ffmpeg: " + log);
        }
        dump(a, b, pa.get(pa.size() / 2), pb.get(pb.size() / 2), crop);
        return new Result(minOffset, maxOffset, repeats, skipped, pa.size(), Double.parseDouble(s.group(2)), parse(p.group(2)),
                p.group(1), count(a), count(b));
    }

    /** One matched pair as PNGs under target/ladder-quality, to look at what the figures measure. */
    private static void dump(Path a, Path b, int fa, int fb, String crop) throws IOException, InterruptedException {
        Path dir = java.nio.file.Files.createDirectories(Path.of("target", "ladder-quality"));
        String name = a.getFileName() + "-" + Integer.toHexString(crop.hashCode());
        MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-y", "-i", a.toString(), "-vf", "select=eq(n\\," + fa + ")", "-frames:v", "1",
                dir.resolve(name + "-a.png").toString());
        MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-y", "-i", b.toString(), "-vf", "select=eq(n\\," + fb + ")", "-frames:v", "1",
                dir.resolve(name + "-ref.png").toString());
    }

    /** The one offset of b against a with the least difference over the first {@code WINDOW} pictures: the anchor. */
    private static int bestShift(byte[][] sa, byte[][] sb, int from, int bFrom, int maxShift) {
        int best = 0;
        double bestErr = Double.MAX_VALUE;
        for (int shift = -maxShift; shift <= maxShift; shift++) {
            double err = 0;
            int n = 0;
            for (int i = 0; i < Math.min(WINDOW, sa.length); i++) {
                int j = from + i + shift - bFrom;
                if (j < 0 || j >= sb.length) {
                    continue;
                }
                err += sad(sa[i], sb[j]);
                n++;
            }
            if (n >= WINDOW / 2 && err / n < bestErr) {
                bestErr = err / n;
                best = shift;
            }
        }
        return best;
    }

    /** Index in {@code sb} within {@code lo..hi} of the picture closest to {@code pic}, or -1 past the end of sb. */
    private static int nearest(byte[] pic, byte[][] sb, int lo, int hi) {
        int best = -1;
        long bestErr = Long.MAX_VALUE;
        for (int j = Math.max(0, lo); j <= Math.min(hi, sb.length - 1); j++) {
            long err = sad(pic, sb[j]);
            if (err < bestErr) {
                bestErr = err;
                best = j;
            }
        }
        return best;
    }

    /** A filter chain keeping exactly the pictures {@code frames} (ascending), one pts step each. */
    private static String pick(List<Integer> frames) {
        StringBuilder e = new StringBuilder("select=");
        for (int k = 0; k < frames.size(); k++) {
            e.append(k == 0 ? "" : "+").append("eq(n\\,").append(frames.get(k)).append(')');
        }
        return e.append(",settb=1/100,setpts=N,").toString();
    }

    /**
     * The common reference of a rung: the sources (read from their start, not at real time) each scaled once, with
     * swscale's lanczos filter, to their rect of a {@code cols}-column grid on a {@code w x h} picture over the colour,
     * the rects mapped from the canvas as the engine maps them ({@code MixPlan.Rung.map});
     * {@code frames} frames, lossless H.264. Neither the engine nor the ffmpeg CLI is measured against itself.
     */
    public static void reference(List<Path> files, int cols, int canvasW, int canvasH, int w, int h, String colour, int fps,
                                 int frames, Path out) throws IOException, InterruptedException {
        int rows = (files.size() + cols - 1) / cols;
        List<String> args = new ArrayList<>(List.of("-loglevel", "error", "-y"));
        for (Path f : files) {
            args.addAll(List.of("-i", f.toString()));
        }
        args.addAll(List.of("-f", "lavfi", "-i", "color=c=0x" + colour.substring(1) + ":s=" + w + "x" + h + ":r=" + fps));
        StringBuilder g = new StringBuilder();
        String last = files.size() + ":v";
        for (int i = 0; i < files.size(); i++) {
            int[] c = WorkerMemoryBenchmark.cell(i, cols, rows, canvasW, canvasH);
            int x0 = map(c[0], canvasW, w);
            int y0 = map(c[1], canvasH, h);
            int x1 = map(c[0] + c[2], canvasW, w);
            int y1 = map(c[1] + c[3], canvasH, h);
            g.append('[').append(i).append(":v]scale=").append(x1 - x0).append(':').append(y1 - y0).append(":flags=lanczos[s")
                    .append(i).append("];[").append(last).append("][s").append(i).append("]overlay=").append(x0).append(':')
                    .append(y0).append(":eof_action=pass:format=yuv420[o").append(i).append("];");
            last = "o" + i;
        }
        g.append('[').append(last).append("]null[v]");
        args.addAll(List.of("-filter_complex", g.toString(), "-map", "[v]", "-frames:v", String.valueOf(frames), "-c:v", "libx264",
                "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out.toString()));
        MediaTools.run(MediaTools.FFMPEG, args.toArray(String[]::new));
    }

    /** A canvas coordinate on an axis of length {@code rung}: scaled, rounded, even (as MixPlan.Rung.map). */
    private static int map(int v, int canvas, int rung) {
        return Math.min(rung, (int) Math.round(v * (double) rung / canvas) & ~1);
    }

    private static double parse(String db) {
        return db.startsWith("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(db);
    }

    /** Frames of the first video stream, decoded and counted. */
    public static int count(Path file) throws IOException, InterruptedException {
        String out = new String(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()), StandardCharsets.UTF_8);
        return Integer.parseInt(out.replace(",", "").trim());
    }

    private static long sad(byte[] x, byte[] y) {
        long s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs((x[i] & 0xff) - (y[i] & 0xff));
        }
        return s;
    }

    /** Frames {@code from..from+n-1} of a file (cropped by the filter {@code crop}, or whole) as small grey pictures. */
    private static byte[][] small(Path file, int from, int n, String crop) throws IOException, InterruptedException {
        byte[] raw = MediaTools.run(MediaTools.FFMPEG, "-loglevel", "error", "-i", file.toString(), "-vf",
                "trim=start_frame=" + from + ":end_frame=" + (from + n) + "," + crop + "scale=" + SMALL_W + ":" + SMALL_H + ":flags=area,format=gray",
                "-fps_mode", "passthrough", "-f", "rawvideo", "-");
        int size = SMALL_W * SMALL_H;
        byte[][] pics = new byte[raw.length / size][];
        for (int i = 0; i < pics.length; i++) {
            pics[i] = java.util.Arrays.copyOfRange(raw, i * size, (i + 1) * size);
        }
        return pics;
    }

    /** Runs a two-input filter to a null output and returns ffmpeg's log (where ssim and psnr print their summary). */
    private static String filter(Path a, Path b, String graph, int frames) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(MediaTools.FFMPEG, "-hide_banner", "-nostdin", "-i", a.toString(), "-i",
                b.toString(), "-lavfi", graph, "-frames:v", String.valueOf(frames), "-f", "null", "-"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", new File(MediaTools.FFMPEG).getParent());
        Process p = pb.start();
        String log;
        try (InputStream in = p.getInputStream()) {
            log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg " + graph + " failed: " + log);
        }
        return log;
    }
}
