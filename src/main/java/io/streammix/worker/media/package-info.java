/**
 * Our thin wrapper over FFmpeg through the JavaCPP (bytedeco) bindings: {@link io.streammix.worker.media.Demuxer},
 * {@link io.streammix.worker.media.Decoder}, {@link io.streammix.worker.media.Encoder} (libx264/libx265 tuned for
 * latency, audio encoders), {@link io.streammix.worker.media.Muxer} (also stream copy for bypass), {@link
 * io.streammix.worker.media.Scaler}, {@link io.streammix.worker.media.Resampler}, {@link
 * io.streammix.worker.media.CallbackIo} (a muxer writing into Java), {@link io.streammix.worker.media.Interrupter}
 * (deadlines on every blocking network call), {@link io.streammix.worker.media.Frames} and {@link
 * io.streammix.worker.media.Av} helpers, failures as {@link io.streammix.worker.media.MediaException}. The doors FFmpeg
 * goes through: {@link io.streammix.worker.media.OpenGuard} (each URL before it is opened), {@link
 * io.streammix.worker.media.EgressFence} (the one decision whether an address may be connected to), {@link
 * io.streammix.worker.media.FenceProxy} (every HTTP(S) hop FFmpeg makes, redirects and HLS segments included, checked
 * and connected by us), {@link io.streammix.worker.media.OpenedFiles} (local files opened where they were checked).
 *
 * <p>Not here: any policy (timelines, reconnects, which codec for which output: {@code io.streammix.worker.engine}).
 * Native memory is manual: close what you open, free frames and packets, and pass URLs only to FFmpeg (messages take
 * a redacted name: URLs may hold keys).
 *
 * <p>Threads: none of our own but the {@link io.streammix.worker.media.FenceProxy}'s (an accept thread and two per
 * proxied connection, daemons, started on the first HTTP(S) open); objects are not thread-safe and each is used by the one thread that opened it: an
 * input, the clock or an output thread, or, for still images, the thread building a plan. Codecs may run FFmpeg's
 * own slice threads inside a call. The one exception is {@link io.streammix.worker.media.FramePool}: one thread takes
 * pictures from it, and any thread may free them (FFmpeg's buffer pool is locked).
 */
package io.streammix.worker.media;
