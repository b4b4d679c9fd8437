package io.streammix.worker.engine;

import io.streammix.worker.control.WorkerReport;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one output (mixed or bypassed) says of itself: its state, since when and why, and its counters. Written by
 * the output's own thread and the clock, read by the status report and the metrics.
 */
final class OutputHealth {
    final String name;
    private volatile String state = WorkerReport.Output.CONNECTING;
    private volatile String reason;
    private volatile Instant since = Instant.now();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long bytes;

    OutputHealth(String name) {
        this.name = name;
    }

    /** A new state moves {@code since}; the same state with another reason only updates the reason. */
    void set(String s, String why) {
        if (!s.equals(state)) {
            since = Instant.now();
        }
        state = s;
        reason = why;
    }

    void frameWritten() {
        frames.incrementAndGet();
    }

    void itemDropped() {
        dropped.incrementAndGet();
    }

    /** The bytes written so far, as a muxer counts them. */
    void bytes(long total) {
        bytes = total;
    }

    void addBytes(long written) {
        bytes += written; // one writer: the output's thread
    }

    String state() {
        return state;
    }

    long frames() {
        return frames.get();
    }

    long bytes() {
        return bytes;
    }

    long dropped() {
        return dropped.get();
    }

    WorkerReport.Output report(Long bitrate, List<String> files, List<WorkerReport.FileUpload> uploads) {
        return new WorkerReport.Output(name, state, since.toString(), reason, bitrate, frames.get(), files, uploads);
    }
}
