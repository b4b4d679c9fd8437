package io.streammix.worker.engine;

import io.streammix.worker.MediaTools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The video packets of a recorded stream as ffprobe reads them (decode time, size), to check that a live
 * output kept one unbroken session: timestamps that only go forward, no gap, and the bitrate over time.
 */
record RecordedStream(List<Packet> video) {

    record Packet(double dts, long size) {
    }

    static RecordedStream of(Path file) throws IOException, InterruptedException {
        String csv = new String(MediaTools.run(MediaTools.FFPROBE, "-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=dts_time,size", "-of", "csv=p=0", file.toString()), StandardCharsets.UTF_8);
        List<Packet> packets = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length == 2 && !f[0].equals("N/A")) {
                packets.add(new Packet(Double.parseDouble(f[0]), Long.parseLong(f[1])));
            }
        }
        return new RecordedStream(List.copyOf(packets));
    }

    /** True when every decode timestamp is later than the one before. */
    boolean monotonic() {
        for (int i = 1; i < video.size(); i++) {
            if (video.get(i).dts() <= video.get(i - 1).dts()) {
                return false;
            }
        }
        return true;
    }

    /** The longest time between two consecutive video packets, in seconds. */
    double longestGap() {
        double gap = 0;
        for (int i = 1; i < video.size(); i++) {
            gap = Math.max(gap, video.get(i).dts() - video.get(i - 1).dts());
        }
        return gap;
    }

    double duration() {
        return video.isEmpty() ? 0 : video.get(video.size() - 1).dts() - video.get(0).dts();
    }

    /** Video kbit/s of each whole second, for failure messages. */
    String profile() {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < Math.floor(video.isEmpty() ? 0 : video.get(video.size() - 1).dts()); s++) {
            b.append(s).append("s:").append(Math.round(bitrate(s, s + 1) / 1000)).append(' ');
        }
        return b.toString().trim();
    }

    /** Video bits per second over [from, to) of the stream's own timeline. */
    double bitrate(double from, double to) {
        long bytes = video.stream().filter(p -> p.dts() >= from && p.dts() < to).mapToLong(Packet::size).sum();
        return bytes * 8 / (to - from);
    }
}
