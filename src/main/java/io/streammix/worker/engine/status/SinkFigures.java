package io.streammix.worker.engine.status;

/**
 * What one destination of an output has done so far, read for the metrics at a scrape: the output's own figures
 * count what it encoded, these what reached each place it goes (a push stuck reconnecting writes nothing while the
 * output's local playback sinks go on).
 *
 * @param sink     what kind of destination: {@code push} (a network URL), {@code file} (a file or recording, or an HLS
 *                 playlist on a volume), {@code hls} or {@code flv} (the worker's own playback on its media port)
 * @param state    Connecting, Live, Reconnecting or Failed (a failed file, or an extra sink given up)
 * @param bytes    bytes written to it
 * @param bitrate  bits per second written to it over the last 2 s or more; -1 before the first measure
 * @param attempts attempts to reach it again after a failure, counted when they start: port probes and reopens
 */
public record SinkFigures(String sink, String state, long bytes, long bitrate, long attempts) {
}
