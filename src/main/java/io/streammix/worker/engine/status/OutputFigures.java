package io.streammix.worker.engine.status;

/**
 * What one output (mixed or bypassed) has done so far, read for the metrics at a scrape. Counters count from the
 * output's start (a reopened output starts again from zero: a counter reset for Prometheus).
 *
 * @param state             Connecting, Live, Reconnecting or Failed
 * @param frames            video frames encoded (bypass: video packets relayed)
 * @param bytes             bytes written (the largest of its sinks: the same packets go to each)
 * @param droppedVideo      canvas frames dropped because the output's queue was full (it was behind)
 * @param droppedAudio      audio chunks dropped for the same reason
 * @param reconnects        network failures that scheduled a reconnect (a lost connection or a failed attempt)
 * @param encodeSeconds     time spent in the video encoder (without writing the packets), over {@code frames}
 * @param bitrate           bits per second written, measured over the last 2 s; -1 before the first measure
 * @param targetBitrate     what the spec asks for, video (CBR rate or CRF cap) plus audio; 0 when unknown (bypass)
 * @param recordingFiles    recording files started
 * @param uploadsPending    recording files waiting for or in upload
 * @param uploadsDone       recording files uploaded
 * @param uploadsFailed     recording files whose upload failed after all retries
 * @param sinks             each destination's own figures (what reached it)
 */
public record OutputFigures(String name, String state, long frames, long bytes, long droppedVideo, long droppedAudio,
                            long reconnects, double encodeSeconds, long bitrate, long targetBitrate, long recordingFiles,
                            long uploadsPending, long uploadsDone, long uploadsFailed, java.util.List<SinkFigures> sinks) {
    public OutputFigures {
        sinks = java.util.List.copyOf(sinks);
    }

    /** Without sink figures (an output that has not opened its sinks). */
    public OutputFigures(String name, String state, long frames, long bytes, long droppedVideo, long droppedAudio,
                         long reconnects, double encodeSeconds, long bitrate, long targetBitrate, long recordingFiles,
                         long uploadsPending, long uploadsDone, long uploadsFailed) {
        this(name, state, frames, bytes, droppedVideo, droppedAudio, reconnects, encodeSeconds, bitrate, targetBitrate,
                recordingFiles, uploadsPending, uploadsDone, uploadsFailed, java.util.List.of());
    }

    /** The same figures with each destination's. */
    public OutputFigures withSinks(java.util.List<SinkFigures> perSink) {
        return new OutputFigures(name, state, frames, bytes, droppedVideo, droppedAudio, reconnects, encodeSeconds, bitrate,
                targetBitrate, recordingFiles, uploadsPending, uploadsDone, uploadsFailed, perSink);
    }
}
