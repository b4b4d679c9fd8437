package io.streammix.worker.media;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avformat.avio_write;

/**
 * Every live CallbackIo gets its own bytes, however many are open: JavaCPP makes only ten native trampolines per
 * callback class, and with one callback object per instance the eleventh wrote through a NULL function (an output's
 * HTTP-FLV stream beyond the tenth got nothing). Real FFmpeg AVIO contexts, written and flushed by FFmpeg.
 */
class CallbackIoTest {
    @Test
    void fifteenOpenContextsEachDeliverTheirOwnBytes() {
        List<CallbackIo> ios = new ArrayList<>();
        List<ByteArrayOutputStream> got = new ArrayList<>();
        try {
            for (int i = 0; i < 15; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                got.add(out);
                ios.add(new CallbackIo(out::writeBytes));
            }
            for (int i = 0; i < 15; i++) {
                byte[] b = ("context " + i).getBytes(StandardCharsets.UTF_8);
                avio_write(ios.get(i).context(), b, b.length);
                ios.get(i).flush();
            }
            for (int i = 0; i < 15; i++) {
                assertThat(got.get(i).toString(StandardCharsets.UTF_8)).as("bytes of context " + i).isEqualTo("context " + i);
            }
        } finally {
            ios.forEach(CallbackIo::close);
        }
    }
}
