package io.streammix.worker.engine;

import io.streammix.worker.engine.sei.HevcSeiNal;
import io.streammix.worker.engine.sei.SeiMessages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test-side SEI parser against the bytes our writer (HevcSeiNal) and the standard framings produce. */
class SeiBitstreamTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void readsBackWhatHevcSeiNalWritesIncludingEscapesAndLongSizes() {
        byte[] levels = SeiMessages.payload(SeiMessages.SOUND_LEVELS, "{\"levels\":{\"0\":0}}".getBytes(StandardCharsets.UTF_8));
        byte[] zeros = SeiMessages.payload(SeiMessages.USER_DATA, new byte[300]); // escaped, size ff-coded
        byte[] au = concat(HEX.parseHex("0000000126010101"), new byte[0]); // an IDR slice
        byte[] nal = HevcSeiNal.nal(List.of(zeros, levels));
        byte[] annexB = concat(nal, au);

        SeiBitstream.Nals n = SeiBitstream.split(annexB, 0);
        assertThat(n.annexB()).isTrue();
        assertThat(n.units()).hasSize(2);
        assertThat(SeiBitstream.type(n.units().get(0), true)).isEqualTo(SeiBitstream.HEVC_PREFIX_SEI);
        assertThat(SeiBitstream.isSlice(n.units().get(1), true)).isTrue();
        List<SeiBitstream.Message> m = SeiBitstream.userData(n.units().get(0), true);
        assertThat(m).extracting(SeiBitstream.Message::uuid).containsExactly(SeiMessages.USER_DATA, SeiMessages.SOUND_LEVELS);
        assertThat(m.get(0).body()).isEqualTo(new byte[300]);
        assertThat(new String(m.get(1).body(), StandardCharsets.UTF_8)).isEqualTo("{\"levels\":{\"0\":0}}");

        // The same picture length-prefixed (hvcC/avcC style, 4-byte lengths, no start codes).
        byte[] sei = java.util.Arrays.copyOfRange(nal, 4, nal.length);
        byte[] slice = HEX.parseHex("26010101");
        byte[] prefixed = concat(concat(len(sei.length), sei), concat(len(slice.length), slice));
        SeiBitstream.Nals p = SeiBitstream.split(prefixed, 4);
        assertThat(p.annexB()).isFalse();
        assertThat(SeiBitstream.userData(p.units().get(0), true)).hasSize(2);
        assertThatThrownBy(() -> SeiBitstream.split(java.util.Arrays.copyOf(prefixed, prefixed.length - 1), 4))
                .isInstanceOf(IllegalArgumentException.class);
        // A 4-byte length of 256..511 begins 00 00 01: the framing comes from the extradata, not from the bytes.
        byte[] big = new byte[300];
        big[0] = 0x26;
        big[1] = 1;
        SeiBitstream.Nals b = SeiBitstream.split(concat(len(big.length), big), 4);
        assertThat(b.units()).hasSize(1);
        assertThat(b.units().get(0)).hasSize(300);
    }

    @Test
    void h264SeiWithTwoMessagesAndTheLengthSizeOfAvcCAndHvcC() {
        // H.264 SEI NAL (type 6): a user_data_unregistered of 17 bytes (UUID + 'x'), then a recovery point (type 6).
        byte[] payload = SeiMessages.payload(SeiMessages.USER_DATA, new byte[]{'x'});
        byte[] nal = concat(concat(HEX.parseHex("060511"), payload), HEX.parseHex("06010080"));
        List<SeiBitstream.Message> m = SeiBitstream.userData(nal, false);
        assertThat(m).hasSize(1);
        assertThat(m.get(0).uuid()).isEqualTo(SeiMessages.USER_DATA);
        assertThat(m.get(0).body()).containsExactly('x');
        assertThat(SeiBitstream.lengthSize(HEX.parseHex("01640016ffe1"), false)).as("too short for avcC").isZero();
        assertThat(SeiBitstream.lengthSize(HEX.parseHex("0164001603e100"), false)).isEqualTo(4);
        byte[] hvcC = new byte[23];
        hvcC[0] = 1;
        hvcC[21] = 0x0F;
        assertThat(SeiBitstream.lengthSize(hvcC, true)).isEqualTo(4);
        assertThat(SeiBitstream.lengthSize(HEX.parseHex("0000000167"), false)).as("Annex B extradata").isZero();
    }

    private static byte[] len(int n) {
        return new byte[]{(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
