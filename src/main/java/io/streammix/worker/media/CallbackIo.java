package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

/**
 * A write-only, non-seekable AVIO context whose bytes go to a Java consumer: lets an FFmpeg muxer (FLV for live
 * playback) write into memory instead of a URL. The consumer runs on the thread that writes packets, and gets
 * a fresh array per call (it may keep it).
 */
public final class CallbackIo implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final Consumer<byte[]> sink;
    private final AVIOContext io;
    // Held so that the native callback stays reachable as long as the AVIO context.
    private final Write_packet_Pointer_BytePointer_int writer = new Write_packet_Pointer_BytePointer_int() {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            byte[] b = new byte[size];
            buf.position(0).get(b, 0, size);
            try {
                sink.accept(b);
            } catch (RuntimeException e) {
                return -5; // AVERROR(EIO): the muxer reports a failed write
            }
            return size;
        }
    };

    public CallbackIo(Consumer<byte[]> sink) {
        this.sink = sink;
        BytePointer buffer = new BytePointer(av_malloc(BUFFER)).capacity(BUFFER);
        io = Av.notNull(avio_alloc_context(buffer, BUFFER, 1, null, null, writer, null), "cannot allocate an AVIO context");
        io.seekable(0);
    }

    public AVIOContext context() {
        return io;
    }

    /** Pushes what the muxer has buffered to the consumer now. */
    public void flush() {
        avio_flush(io);
    }

    @Override
    public void close() {
        // FFmpeg may have replaced the buffer it was given: free the one it holds now.
        av_free(io.buffer());
        io.buffer(null);
        avio_context_free(io);
        writer.close();
    }
}
