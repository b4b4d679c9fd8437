package io.streammix.worker.engine.sei;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The H.265 SEI NAL unit we write ourselves: header, payload coding, emulation prevention, where it goes. */
class HevcSeiNalTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void prefixSeiWithEscapedZeros() {
        byte[] payload = HEX.parseHex("00000100000003ff");
        byte[] nal = HevcSeiNal.nal(List.of(payload));
        // start code, NAL type 39 (0x4E) TemporalId 0, payloadType 5, size 8, 00 00 [03] 01 00 00 [03] 00 03 ff, stop bit.
        assertThat(HEX.formatHex(nal)).isEqualTo("00000001" + "4e01" + "05" + "08" + "0000030100000300" + "03ff" + "80");
    }

    @Test
    void sizesOf255AndMoreAreFfCoded() {
        byte[] nal = HevcSeiNal.nal(List.of(new byte[300], new byte[]{1}));
        // 300 = ff 2d; a run of zeros is escaped every two bytes.
        assertThat(HEX.formatHex(nal, 6, 9)).isEqualTo("05ff2d");
        assertThat(HEX.formatHex(nal).endsWith("050101" + "80")).isTrue();
    }

    @Test
    void goesBeforeTheFirstSliceAfterParameterSets() {
        // AUD-less access unit: VPS (32), SPS (33), PPS (34), IDR slice (19), with 4- and 3-byte start codes.
        byte[] au = HEX.parseHex("0000000140010c" + "0000000142010a" + "00000144010b" + "00000001260101aa");
        int at = HevcSeiNal.firstPictureNal(au);
        assertThat(HEX.formatHex(au, at, at + 5)).isEqualTo("0000000126");
        assertThat(HevcSeiNal.firstPictureNal(HEX.parseHex("000001400101"))).as("no slice: at the end").isEqualTo(6);
    }
}
