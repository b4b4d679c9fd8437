/**
 * The worker's media port (8080, no authentication: play URLs are public): {@link
 * io.streammix.worker.playback.MediaServer} serves what the outputs publish in {@link
 * io.streammix.worker.playback.LiveStreams} at {@code /live/<key>.flv} (live HTTP-FLV, fanned out to clients by {@link
 * io.streammix.worker.playback.FlvBroadcaster} from the muxer's header plus the GOP since the last keyframe, cut into
 * tags by {@code FlvTags}) and {@code /live/<key>/index.m3u8} with its segments (whole files from a published HLS
 * directory, plain file names only).
 *
 * <p>Not here: the muxing. FLV and HLS are written by FFmpeg in the engine's sinks ({@code FlvLiveSink}, {@code
 * HlsSink} in {@code io.streammix.worker.engine}); no FLV is written by hand.
 *
 * <p>Threads: the output's encoding thread ({@code output-<name>}) calls {@code header}/{@code publish} and only
 * appends to queues; requests are parsed on the server's Vert.x event loop ({@code worker.http}); HLS files are read
 * on two daemon {@code media-hls} threads, and each HTTP-FLV client holds a daemon {@code media-flv} thread as its
 * writer for as long as it plays (at most 100; a client too far behind is dropped and its thread interrupted).
 */
package io.streammix.worker.playback;
