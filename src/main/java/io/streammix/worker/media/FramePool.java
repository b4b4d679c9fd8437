package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avutil.AVBufferPool;
import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.Alloc_long;

import static org.bytedeco.ffmpeg.global.avutil.av_buffer_pool_get;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_pool_init;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_pool_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;

/**
 * Pictures of one size and format whose buffers are recycled (an FFmpeg {@code AVBufferPool}), for pictures made
 * at the frame rate: a canvas per tick, an input's scaled picture per frame. A new buffer per frame (720p: 1.4 MB)
 * went through malloc and free on different threads (made by one, freed by the output or clock thread), which
 * spread them over glibc's per-thread arenas and kept each arena's peak resident; the pool holds only as many as
 * are in flight at once. A frame from {@link #get} is an ordinary reference-counted frame: free it with
 * {@link Frames#free} (any thread; its buffer returns to the pool when its last reference goes, and av_frame_clone
 * shares it). {@link #get} is called by one thread; a change of size makes a new pool, and the old one is freed
 * once its last buffer comes back.
 */
public final class FramePool implements AutoCloseable {
    /** Line alignment: what av_frame_get_buffer gives on any CPU (SIMD reads and writes whole vectors). */
    private static final int ALIGN = 64;
    /** Spare bytes after the last plane (AV_INPUT_BUFFER_PADDING_SIZE), for SIMD over-reads past the end. */
    private static final int PADDING = 64;

    private AVBufferPool pool;
    private int width = -1;
    private int height = -1;
    private int format = -1;

    /** A picture with buffers from the pool (contents undefined: the caller draws all of it). */
    public AVFrame get(int w, int h, int pixFmt) {
        if (pool == null || w != width || h != height || pixFmt != format) {
            close();
            int size = av_image_get_buffer_size(pixFmt, w, h, ALIGN);
            Av.check(size, "cannot size a " + w + "x" + h + " picture");
            pool = Av.notNull(av_buffer_pool_init(size + PADDING, (Alloc_long) null), "cannot make a picture pool");
            width = w;
            height = h;
            format = pixFmt;
        }
        AVFrame f = av_frame_alloc();
        AVBufferRef buf = av_buffer_pool_get(pool);
        if (buf == null || buf.isNull()) {
            av_frame_free(f);
            throw new MediaException("cannot allocate a " + w + "x" + h + " picture");
        }
        f.width(w).height(h).format(pixFmt);
        f.buf(0, buf);
        int ret = av_image_fill_arrays(f.data(), f.linesize(), buf.data(), pixFmt, w, h, ALIGN);
        if (ret < 0) {
            av_frame_free(f);
            Av.check(ret, "cannot lay out a " + w + "x" + h + " picture");
        }
        return f;
    }

    /** Lets the pool go: FFmpeg frees it when the last picture taken from it is freed. */
    @Override
    public void close() {
        if (pool != null) {
            av_buffer_pool_uninit(pool);
            pool = null;
        }
    }
}
