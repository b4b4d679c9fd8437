package io.streammix.worker.media;

/**
 * The width and height a PNG or JPEG says it has, read from its first bytes without decoding anything: a 16000x16000
 * PNG is refused from its 24-byte header, not after FFmpeg has allocated its frame.
 */
public final class PictureHeader {
    private PictureHeader() {
    }

    /** {width, height}, or null when {@code b} is neither a PNG nor a JPEG with a frame header. */
    public static long[] dimensions(byte[] b, int length) {
        if (length >= 24 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R') {
            return new long[] {u32(b, 16), u32(b, 20)};
        }
        if (length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            int i = 2;
            while (i + 9 < length) {
                if ((b[i] & 0xFF) != 0xFF) {
                    return null;
                }
                int marker = b[i + 1] & 0xFF;
                if (marker == 0xFF) {
                    i++;
                    continue;
                }
                int segment = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
                boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
                if (sof) {
                    long h = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                    long w = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
                    return new long[] {w, h};
                }
                i += 2 + segment;
            }
        }
        return null;
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
