package io.streammix.worker.engine.sei;

import org.bytedeco.ffmpeg.avcodec.AVPacket;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.av_grow_packet;

/**
 * Writes user_data_unregistered SEI into H.265 packets ourselves. libx265 can do it from frame side data
 * ({@code udu_sei}), but x265 puts its own UUID (2ca2de09-b517-47db-bb55-a4fe7fc2fc4e) in front of the payload it is
 * given, so a player would see x265's UUID, then ours, then the data. Here the payload (our UUID + data) is the
 * whole SEI message, as with H.264: one prefix SEI NAL unit (type 39), inserted before the first picture NAL unit
 * of the access unit, in the Annex B form libx265 produces (start codes).
 */
public final class HevcSeiNal {
    private static final int PREFIX_SEI = 39;
    private static final int USER_DATA_UNREGISTERED = 5;

    private HevcSeiNal() {
    }

    /** Adds one prefix SEI NAL unit holding these user_data_unregistered payloads to {@code pkt}, in place. */
    static void insert(AVPacket pkt, List<byte[]> payloads) {
        int size = pkt.size();
        byte[] data = new byte[size];
        pkt.data().capacity(size).get(data);
        int at = firstPictureNal(data);
        byte[] nal = nal(payloads);
        byte[] out = new byte[size + nal.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(nal, 0, out, at, nal.length);
        System.arraycopy(data, at, out, at + nal.length, size - at);
        // av_grow_packet makes the buffer ours and large enough (it copies a shared or short one).
        io.streammix.worker.media.Av.check(av_grow_packet(pkt, nal.length), "SEI: grow packet");
        pkt.data().capacity(out.length).put(out);
    }

    /** Offset of the start code of the first VCL NAL unit (type < 32), or the end when there is none. */
    static int firstPictureNal(byte[] d) {
        for (int i = 0; i + 3 < d.length; i++) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                int type = (d[i + 3] >> 1) & 0x3F;
                if (type < 32) {
                    return i > 0 && d[i - 1] == 0 ? i - 1 : i;
                }
                i += 2;
            }
        }
        return d.length;
    }

    /** Start code, NAL header (prefix SEI, layer 0, TemporalId 0), the SEI messages, trailing bits; escaped. */
    public static byte[] nal(List<byte[]> payloads) {
        ByteArrayOutputStream rbsp = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            ffCoded(rbsp, USER_DATA_UNREGISTERED);
            ffCoded(rbsp, p.length);
            rbsp.writeBytes(p);
        }
        rbsp.write(0x80); // rbsp_trailing_bits
        ByteArrayOutputStream nal = new ByteArrayOutputStream();
        nal.writeBytes(new byte[]{0, 0, 0, 1, (byte) (PREFIX_SEI << 1), 1});
        int zeros = 0;
        for (byte b : rbsp.toByteArray()) {
            // Emulation prevention: no 00 00 0x (x <= 3) inside a NAL unit.
            if (zeros == 2 && (b & 0xFF) <= 3) {
                nal.write(3);
                zeros = 0;
            }
            nal.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return nal.toByteArray();
    }

    /** payloadType and payloadSize: 0xFF per whole 255, then the rest. */
    private static void ffCoded(ByteArrayOutputStream out, int v) {
        while (v >= 255) {
            out.write(0xFF);
            v -= 255;
        }
        out.write(v);
    }
}
