package io.streammix.worker.engine;

import io.streammix.worker.engine.sei.SeiMessages;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The SEI of one coded picture read straight from its bytes, as a player's own bitstream parser would (no decoder):
 * the NAL units (Annex B start codes, as in MPEG-TS, or 1..4-byte length prefixes, as in FLV and MP4 with avcC/hvcC),
 * the SEI NAL units among them (H.264 type 6, H.265 prefix 39 / suffix 40) with emulation prevention removed, and
 * their user_data_unregistered messages (payloadType 5) in order, duplicates kept: the decoder's side data would
 * hide a second message with the same UUID, and a foreign UUID in front of ours.
 */
final class SeiBitstream {
    static final int H264_SEI = 6;
    static final int HEVC_PREFIX_SEI = 39;
    static final int HEVC_SUFFIX_SEI = 40;
    private static final int USER_DATA_UNREGISTERED = 5;

    /** One user_data_unregistered message: its UUID and the bytes after it. */
    record Message(UUID uuid, byte[] body) {
        @Override
        public String toString() {
            return uuid + ":" + new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The NAL units of a picture and how they were framed. */
    record Nals(boolean annexB, List<byte[]> units) {
    }

    private SeiBitstream() {
    }

    /**
     * Splits a packet into NAL units (headers included, still escaped), framed as its stream's extradata says: with
     * {@code lengthSize} 1..4 (avcC/hvcC) length-prefixed, as a player of FLV or MP4 reads it; with 0 (Annex B or no
     * extradata, as in MPEG-TS) by start codes. The framing cannot be guessed from the bytes: a 4-byte length of
     * 256..511 starts with 00 00 01, like a start code.
     *
     * @throws IllegalArgumentException when the lengths do not add up to the packet, or Annex B data has no start code
     */
    static Nals split(byte[] d, int lengthSize) {
        boolean annexB = lengthSize == 0;
        if (annexB && !(d.length >= 3 && d[0] == 0 && d[1] == 0 && (d[2] == 1 || (d.length >= 4 && d[2] == 0 && d[3] == 1)))) {
            throw new IllegalArgumentException("Annex B packet without a leading start code");
        }
        List<byte[]> units = new ArrayList<>();
        if (annexB) {
            int start = -1;
            for (int i = 0; i + 2 < d.length; i++) {
                if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                    if (start >= 0) {
                        units.add(Arrays.copyOfRange(d, start, trimZeros(d, start, i)));
                    }
                    start = i + 3;
                    i += 2;
                }
            }
            if (start >= 0 && start < d.length) {
                units.add(Arrays.copyOfRange(d, start, d.length));
            }
        } else {
            int i = 0;
            while (i + lengthSize <= d.length) {
                int n = 0;
                for (int k = 0; k < lengthSize; k++) {
                    n = (n << 8) | (d[i + k] & 0xFF);
                }
                i += lengthSize;
                if (n <= 0 || i + n > d.length) {
                    throw new IllegalArgumentException("bad NAL length " + n + " at " + (i - lengthSize) + " of " + d.length);
                }
                units.add(Arrays.copyOfRange(d, i, i + n));
                i += n;
            }
            if (i != d.length) {
                throw new IllegalArgumentException("trailing " + (d.length - i) + " bytes after the last NAL unit");
            }
        }
        return new Nals(annexB, units);
    }

    /** End of a NAL unit before the next start code: the zero of a 4-byte start code is not part of it. */
    private static int trimZeros(byte[] d, int start, int next) {
        int end = next;
        while (end > start && d[end - 1] == 0) {
            end--;
        }
        return end;
    }

    /** The NAL unit type (H.264: 5 bits of the 1-byte header; H.265: 6 bits of the 2-byte header). */
    static int type(byte[] nal, boolean hevc) {
        return hevc ? (nal[0] >> 1) & 0x3F : nal[0] & 0x1F;
    }

    static boolean isSei(byte[] nal, boolean hevc) {
        int t = type(nal, hevc);
        return hevc ? t == HEVC_PREFIX_SEI || t == HEVC_SUFFIX_SEI : t == H264_SEI;
    }

    /** True for a slice of a picture (H.264 types 1..5, H.265 VCL types 0..31). */
    static boolean isSlice(byte[] nal, boolean hevc) {
        int t = type(nal, hevc);
        return hevc ? t < 32 : t >= 1 && t <= 5;
    }

    /** The user_data_unregistered messages of one SEI NAL unit, in order. */
    static List<Message> userData(byte[] nal, boolean hevc) {
        byte[] rbsp = unescape(nal, hevc ? 2 : 1);
        List<Message> out = new ArrayList<>();
        int i = 0;
        // sei_rbsp: messages until only rbsp_trailing_bits (0x80) are left.
        while (i < rbsp.length && !(i == rbsp.length - 1 && rbsp[i] == (byte) 0x80)) {
            int type = 0;
            while ((rbsp[i] & 0xFF) == 0xFF) {
                type += 255;
                i++;
            }
            type += rbsp[i++] & 0xFF;
            int size = 0;
            while ((rbsp[i] & 0xFF) == 0xFF) {
                size += 255;
                i++;
            }
            size += rbsp[i++] & 0xFF;
            if (i + size > rbsp.length) {
                throw new IllegalArgumentException("SEI payload of " + size + " bytes overruns its NAL unit");
            }
            if (type == USER_DATA_UNREGISTERED && size >= 16) {
                byte[] p = Arrays.copyOfRange(rbsp, i, i + size);
                out.add(new Message(SeiMessages.uuidOf(p), SeiMessages.bodyOf(p)));
            }
            i += size;
        }
        return out;
    }

    /** The RBSP of a NAL unit: header skipped, emulation-prevention bytes (00 00 03) removed. */
    static byte[] unescape(byte[] nal, int headerBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nal.length);
        int zeros = 0;
        for (int i = headerBytes; i < nal.length; i++) {
            int b = nal[i] & 0xFF;
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    /**
     * The NAL length size of length-prefixed samples from the stream's extradata: avcC (version 1, byte 4) or
     * hvcC (version 1, byte 21), low two bits plus one. Annex B extradata (or none): 0.
     */
    static int lengthSize(byte[] extradata, boolean hevc) {
        if (extradata == null || extradata.length < (hevc ? 23 : 7) || extradata[0] != 1) {
            return 0;
        }
        return (extradata[hevc ? 21 : 4] & 3) + 1;
    }
}
