/**
 * What happens to an output's recording files once written: {@link io.streammix.worker.recording.RecordingPlan} (how
 * a file output records: rotation by time or size, upload), {@link io.streammix.worker.recording.RecordingFiles}
 * (which files are finished, from the segment muxer's CSV list read by {@code SegmentList}, each handed once to the
 * uploader), {@link io.streammix.worker.recording.S3FileUploader} (S3 or S3-compatible, one file at a time, multipart
 * for large ones, retries with backoff; its endpoint checked by the worker's egress fence before each request,
 * {@code EndpointFence}), {@code UploadMarker} ({@code <file>.uploaded}, the durable proof of an upload)
 * and {@link io.streammix.worker.recording.EarlierRecordings} (files earlier workers left without a marker).
 *
 * <p>Not here: writing the files and cutting them (FFmpeg's segment muxer set up by {@code RecordingTargets}, size
 * cuts by {@code ByteRotation}, both in {@code io.streammix.worker.engine}). Holds credentials: the S3 key pair is
 * never logged nor put in a reason.
 *
 * <p>Threads: started from the output's encoding thread, never blocking it; a {@code recording-<output>} poller thread
 * when the recording rotates, and one {@code upload-<output>} thread per uploaded output, which also searches for
 * earlier files.
 */
package io.streammix.worker.recording;
