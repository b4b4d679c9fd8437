package io.streammix.worker.engine.status;

import io.streammix.worker.contract.WorkerReport;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one output (mixed or bypassed) says of itself: its state, since when and why, and its counters. Written by
 * the output's own thread and the clock, read by the status report and the metrics.
 */
public final class OutputHealth {
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

    public OutputHealth(String name) {
        this.name = name;
    }

    /** A new state moves {@code since}; the same state with another reason only updates the reason. */
    public void set(String s, String why) {
        if (!s.equals(state)) {
            since = Instant.now();
        }
        state = s;
        reason = why;
    }

    public void frameWritten() {
        frames.incrementAndGet();
    }

    public void itemDropped() {
        dropped.incrementAndGet();
    }

    /** A video item dropped (counted in {@link #dropped()} too). */
    public void videoDropped() {
        droppedVideo.incrementAndGet();
        dropped.incrementAndGet();
    }

    /** A network failure that scheduled a reconnect. */
    public void reconnectScheduled() {
        reconnects.incrementAndGet();
    }

    public void encoded(long nanos) {
        encodeNanos += nanos;
    }

    /** The bytes written so far, as a muxer counts them. */
    public void bytes(long total) {
        bytes = total;
    }

    public void addBytes(long written) {
        bytes += written; // one writer: the output's thread
    }

    public String state() {
        return state;
    }

    long frames() {
        return frames.get();
    }

    public long bytes() {
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
    public OutputFigures figures(Long bitrate, long target, long reconnects, long recordingFiles, List<WorkerReport.FileUpload> uploads) {
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

    public WorkerReport.Output report(Long bitrate, List<String> files, List<WorkerReport.FileUpload> uploads) {
        return new WorkerReport.Output(name, state, since.toString(), reason, bitrate, frames.get(), files, uploads);
    }
}
