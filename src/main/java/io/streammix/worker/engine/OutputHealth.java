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
    private final AtomicLong droppedVideo = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile long bytes;
    /** Nanoseconds spent in the video encoder; one writer, the output's thread. */
    private volatile long encodeNanos;

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

    /** A video item dropped (counted in {@link #dropped()} too). */
    void videoDropped() {
        droppedVideo.incrementAndGet();
        dropped.incrementAndGet();
    }

    /** A network failure that scheduled a reconnect. */
    void reconnectScheduled() {
        reconnects.incrementAndGet();
    }

    void encoded(long nanos) {
        encodeNanos += nanos;
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

    /**
     * @param bitrate measured bits per second, null when not measured
     * @param target     the spec's bits per second, 0 when unknown
     * @param reconnects reconnects counted elsewhere (by the output's sinks), added to those counted here
     * @param uploads    upload states of the recording's files, null without upload
     */
    OutputFigures figures(Long bitrate, long target, long reconnects, long recordingFiles, List<WorkerReport.FileUpload> uploads) {
        long done = 0;
        long failed = 0;
        long pending = 0;
        for (WorkerReport.FileUpload u : uploads == null ? List.<WorkerReport.FileUpload>of() : uploads) {
            switch (u.state()) {
                case WorkerReport.FileUpload.UPLOADED -> done++;
                case WorkerReport.FileUpload.FAILED -> failed++;
                default -> pending++;
            }
        }
        long dv = droppedVideo.get();
        return new OutputFigures(name, state, frames.get(), bytes, dv, dropped.get() - dv, this.reconnects.get() + reconnects, encodeNanos / 1e9,
                bitrate == null ? -1 : bitrate, target, recordingFiles, pending, done, failed);
    }

    WorkerReport.Output report(Long bitrate, List<String> files, List<WorkerReport.FileUpload> uploads) {
        return new WorkerReport.Output(name, state, since.toString(), reason, bitrate, frames.get(), files, uploads);
    }
}
