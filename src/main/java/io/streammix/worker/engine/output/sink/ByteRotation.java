package io.streammix.worker.engine.output.sink;

import io.streammix.worker.media.Muxer;
import io.streammix.worker.recording.RecordingPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rotation of a recording by size ({@code rotateAfterBytes}), with its period ({@code rotateAfterSeconds})
 * when it has one. FFmpeg's segment muxer cuts by time only, but it reads its {@code segment_time} afresh for
 * every packet: the next file starts at the first reference-stream keyframe (video; audio when there is no
 * video) whose time is at least {@code segment_time x (files ended + 1)}. So the muxer is opened with a period
 * that never comes ({@link #NEVER_SECONDS}) and this class, at each reference keyframe, looks at the file being
 * written; once it has reached the limit (or the period has passed since the file began) it sets
 * {@code segment_time} to 0 before that keyframe goes in, so the muxer cuts there, and back to "never" once the
 * muxer has opened the next file. The files, their names and the muxer's list of finished files are the same as
 * with rotation by time, so {@link io.streammix.worker.recording.RecordingFiles} and uploads work unchanged,
 * and every file starts with a keyframe.
 *
 * <p>The keyframe is only armed for, not known to be cut on: the muxer interleaves packets by time and may hand it
 * on a packet later, so the cut is seen by the next file appearing on disk. A file ends at most one keyframe
 * interval (2 s) of media past the limit, plus what the file size did not show yet (a fragment still being
 * built, at most 0.5 s in MP4, or the 32 KiB write buffer).
 */
final class ByteRotation {
    /** The muxer's period until the first cut: 10^9 s, never reached (x files stays far from overflowing). */
    static final String NEVER_SECONDS = "1000000000";

    private final RecordingPlan plan;
    private final long limit;
    private final long periodMicros;
    private int index;
    private long packetBytes;
    private long startMicros = Long.MIN_VALUE;
    private boolean armed;

    ByteRotation(RecordingPlan plan) {
        this.plan = plan;
        this.limit = plan.rotateBytes();
        this.periodMicros = plan.rotateSeconds() == null ? Long.MAX_VALUE : plan.rotateSeconds() * 1_000_000L;
    }

    /**
     * Before a packet goes to the muxer.
     *
     * @param reference  a packet of the stream the muxer cuts on
     * @param ptsMicros  its time in microseconds, {@code Long.MIN_VALUE} when it has none
     */
    void before(Muxer muxer, boolean reference, boolean key, long ptsMicros, int size) {
        if (reference && key && !armed && ptsMicros != Long.MIN_VALUE) {
            if (startMicros == Long.MIN_VALUE) {
                startMicros = ptsMicros;
            } else if (bytes() >= limit || ptsMicros - startMicros >= periodMicros) {
                muxer.setPrivateOption("segment_time", 0); // every keyframe is past 0: the muxer cuts at this one
                armed = true;
                startMicros = ptsMicros;
                packetBytes = 0;
            }
        }
        packetBytes += size;
    }

    /** After a packet went to the muxer: once it has opened the next file, the cut is done. */
    void after(Muxer muxer) {
        if (armed && Files.exists(plan.fileNumber(index + 1))) {
            index++;
            armed = false;
            muxer.setPrivateOption("segment_time", never(index));
        }
    }

    /** A period the muxer never reaches with {@code ended} files ended (its limit is period x (ended + 1)). */
    static long never(int ended) {
        return Long.MAX_VALUE / 4 / (ended + 1);
    }

    /** Bytes of the current file: what is on disk, or the packets given to it when more (not flushed yet). */
    private long bytes() {
        Path current = plan.fileNumber(index);
        long onDisk;
        try {
            onDisk = Files.size(current);
        } catch (IOException e) {
            onDisk = 0;
        }
        return Math.max(onDisk, packetBytes);
    }
}
