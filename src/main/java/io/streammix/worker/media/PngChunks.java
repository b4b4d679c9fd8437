package io.streammix.worker.media;

import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The compressed ancillary chunks of a PNG (zTXt, iTXt, iCCP) counted before FFmpeg decodes it (issue 21): its PNG
 * decoder inflates them whole into memory, so a 1 MB file whose text or colour profile inflates 1000:1 took a worker
 * past its memory limit, while width x height ({@link PictureHeader}) was within bounds. Each such chunk is inflated
 * here into a small scratch buffer, counting, and the picture is refused once they exceed {@link #MAX_INFLATED}
 * together: the work is bounded by the budget, not by the bomb. The pixels (IDAT) need no count: the decoder sizes
 * them from the header, which {@link MediaLimits#MAX_IMAGE_PIXELS} caps.
 */
public final class PngChunks {
    /** Inflated metadata allowed per picture: ICC profiles are a few KB to a few hundred, text less. */
    public static final long MAX_INFLATED = 1L << 20;

    private PngChunks() {
    }

    /** Why the PNG {@code b} (its first {@code length} bytes) must not be decoded, or null (also for what is not a PNG). */
    public static String refusal(byte[] b, int length) {
        if (length < 8 || (b[0] & 0xFF) != 0x89 || b[1] != 'P' || b[2] != 'N' || b[3] != 'G') {
            return null;
        }
        long budget = MAX_INFLATED;
        int at = 8;
        while (at + 8 <= length) {
            long size = u32(b, at);
            String type = new String(b, at + 4, 4, StandardCharsets.US_ASCII);
            int data = at + 8;
            if (size > length - data) {
                return null; // truncated: FFmpeg reports it; nothing beyond the file can inflate
            }
            int compressed = compressedStart(type, b, data, (int) size);
            if (compressed >= 0) {
                long inflated = inflatedSize(b, compressed, data + (int) size - compressed, budget);
                budget -= inflated;
                if (budget < 0) {
                    return "the PNG's compressed metadata (" + type + ") inflates to more than " + (MAX_INFLATED >> 10)
                            + " KiB, the worker's limit";
                }
            }
            if (type.equals("IEND")) {
                break;
            }
            at = data + (int) size + 4;
        }
        return null;
    }

    /** Where the deflate stream of a zTXt, iTXt (when compressed) or iCCP chunk starts, or -1. */
    private static int compressedStart(String type, byte[] b, int data, int size) {
        int end = data + size;
        int nul = indexOf0(b, data, end);
        if (nul < 0) {
            return -1;
        }
        return switch (type) {
            case "zTXt", "iCCP" -> nul + 2 <= end ? nul + 2 : -1; // keyword, NUL, method byte
            case "iTXt" -> {
                if (nul + 3 > end || b[nul + 1] == 0) {
                    yield -1; // not compressed: its size is its size
                }
                int lang = indexOf0(b, nul + 3, end);
                int translated = lang < 0 ? -1 : indexOf0(b, lang + 1, end);
                yield translated < 0 ? -1 : translated + 1;
            }
            default -> -1;
        };
    }

    /** Bytes the zlib stream inflates to, counted up to {@code limit + 1} (a broken stream counts what it gave). */
    private static long inflatedSize(byte[] b, int from, int length, long limit) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(b, from, length);
            byte[] scratch = new byte[64 * 1024];
            long total = 0;
            while (total <= limit && !inf.finished()) {
                int n = inf.inflate(scratch);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                total += n;
            }
            return total;
        } catch (DataFormatException e) {
            return 0;
        } finally {
            inf.end();
        }
    }

    private static int indexOf0(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
