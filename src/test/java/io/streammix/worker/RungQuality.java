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
 * files start at different points of the sources (the worker starts later than ffmpeg and its first ticks may show
 * the background), so the frame offset between them is found first: the one with the least difference over a
 * window of small grey copies of the pictures, then the filters run over {@code frames} aligned pictures.
 */
public final class RungQuality {
    private static final int SMALL_W = 160;
    private static final int SMALL_H = 90;
    private static final Pattern SSIM = Pattern.compile("SSIM Y:([0-9.]+).* All:([0-9.]+)");
    private static final Pattern PSNR = Pattern.compile("PSNR y:([0-9.inf]+).* average:([0-9.inf]+)");

    private RungQuality() {
    }

    /**
     * @param offset frames to skip in {@code b} beyond those skipped in {@code a} for the same picture (may be negative)
     * @param frames pictures compared
     * @param ssim   SSIM over all planes (1 = identical)
     * @param psnr   PSNR over all planes, dB
     * @param framesA,framesB frames in each file
     */
    public record Result(int offset, int frames, double ssim, double psnr, int framesA, int framesB) {
        public String describe() {
            return String.format("PSNR %.2f dB, SSIM %.4f over %d frames (offset %d); %d frames in the file", psnr, ssim, frames,
                    offset, framesA);
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
        int window = 30;
        byte[][] sa = small(a, from, window, crop);
        int bFrom = Math.max(0, from - maxShift);
        byte[][] sb = small(b, bFrom, window + 2 * maxShift, crop);
        int best = 0;
        double bestErr = Double.MAX_VALUE;
        for (int shift = -maxShift; shift <= maxShift; shift++) {
            double err = 0;
            int n = 0;
            for (int i = 0; i < sa.length; i++) {
                int j = from + i + shift - bFrom;
                if (j < 0 || j >= sb.length) {
                    continue;
                }
                err += sad(sa[i], sb[j]);
                n++;
            }
            if (n >= window / 2 && err / n < bestErr) {
                bestErr = err / n;
                best = shift;
            }
        }
        int offset = best;
        // psnr passes its first input through: one decode of each file feeds both filters.
        String graph = "[0:v]trim=start_frame=" + from + ",setpts=PTS-STARTPTS," + crop + "null[a];[1:v]trim=start_frame="
                + (from + offset) + ",setpts=PTS-STARTPTS," + crop + "split[b1][b2];[a][b1]psnr[p];[p][b2]ssim";
        String log = filter(a, b, graph, frames);
        Matcher s = SSIM.matcher(log);
        Matcher p = PSNR.matcher(log);
        if (!s.find() || !p.find()) {
            throw new IOException("no SSIM/PSNR line from ffmpeg: " + log);
        }
        return new Result(offset, frames, Double.parseDouble(s.group(2)), parse(p.group(2)), count(a), count(b));
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
