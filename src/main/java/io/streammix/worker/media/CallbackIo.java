package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>One native write callback serves every context, which FFmpeg calls with the context's {@code opaque}: a byte of
 * native memory per instance, mapped back to it. JavaCPP makes at most 10 native trampolines per callback class, so a
 * callback object per instance left the 11th live one writing through a NULL function: its bytes went nowhere (see
 * {@link Interrupter}, which had the same limit).
 */
public final class CallbackIo implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private static final Map<Long, CallbackIo> LIVE = new ConcurrentHashMap<>();
    // One instance for the process: never closed, so FFmpeg never calls a freed trampoline.
    private static final Write_packet_Pointer_BytePointer_int WRITER = new Write_packet_Pointer_BytePointer_int() {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            CallbackIo io = opaque == null ? null : LIVE.get(opaque.address());
            if (io == null) {
                return -5; // AVERROR(EIO): closed
            }
            byte[] b = new byte[size];
            buf.position(0).get(b, 0, size);
            try {
                io.sink.accept(b);
            } catch (RuntimeException e) {
                return -5; // AVERROR(EIO): the muxer reports a failed write
            }
            return size;
        }
    };

    private final Consumer<byte[]> sink;
    private final AVIOContext io;
    /** Its address identifies this instance to the shared callback. */
    private final BytePointer token = new BytePointer(1);

    public CallbackIo(Consumer<byte[]> sink) {
        this.sink = sink;
        LIVE.put(token.address(), this);
        BytePointer buffer = new BytePointer(av_malloc(BUFFER)).capacity(BUFFER);
        io = Av.notNull(avio_alloc_context(buffer, BUFFER, 1, token, null, WRITER, null), "cannot allocate an AVIO context");
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
        LIVE.remove(token.address());
        token.close();
    }
}
