package io.streammix.worker.playback;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the byte stream FFmpeg's FLV muxer writes (after its header) into whole tags, each with its trailing
 * PreviousTagSize, and tells which ones start a video keyframe. It does not write FLV: it only reads the 11-byte
 * tag headers to know where a late client may start.
 */
final class FlvTags {
    static final int TAG_HEADER = 11;
    private static final int TYPE_VIDEO = 9;

    /** One tag as written by the muxer (header, body, PreviousTagSize). */
    record Tag(byte[] bytes, boolean keyframe) {
    }

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Appends bytes from the muxer and returns the tags now complete (possibly none). */
    List<Tag> feed(byte[] chunk) {
        pending.write(chunk, 0, chunk.length);
        byte[] buf = pending.toByteArray();
        List<Tag> tags = new ArrayList<>();
        int at = 0;
        while (buf.length - at >= TAG_HEADER) {
            int dataSize = ((buf[at + 1] & 0xFF) << 16) | ((buf[at + 2] & 0xFF) << 8) | (buf[at + 3] & 0xFF);
            int total = TAG_HEADER + dataSize + 4;
            if (buf.length - at < total) {
                break;
            }
            int type = buf[at] & 0x1F;
            // Legacy and enhanced FLV both keep the frame type in bits 4..6 of the first body byte; 1 = keyframe.
            boolean key = type == TYPE_VIDEO && dataSize > 0 && ((buf[at + TAG_HEADER] >> 4) & 0x07) == 1;
            byte[] tag = new byte[total];
            System.arraycopy(buf, at, tag, 0, total);
            tags.add(new Tag(tag, key));
            at += total;
        }
        pending.reset();
        pending.write(buf, at, buf.length - at);
        return tags;
    }
}
