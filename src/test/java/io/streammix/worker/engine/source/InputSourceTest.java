package io.streammix.worker.engine.source;

import io.streammix.api.v1alpha1.MixInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How network inputs are opened: timeouts for every protocol, a short probe where the container allows it. */
class InputSourceTest {
    static InputSource of(String url) {
        MixInput in = new MixInput();
        in.url = url;
        return InputSource.of(in, null);
    }

    @Test
    void flvInputsAreProbedBrieflyOthersKeepFfmpegsDefault() {
        assertThat(of("rtmp://media/live/a").options()).containsEntry("analyzeduration", "1000000").containsKey("rw_timeout");
        assertThat(of("https://media/live/a.flv?token=x").options()).containsEntry("analyzeduration", "1000000");
        assertThat(of("HTTP://media/live/A.FLV").options()).containsEntry("analyzeduration", "1000000");
        // MPEG-TS (HLS, SRT) and RTSP may join mid-GOP: their parameter sets come with the next keyframe.
        assertThat(of("http://media/live/a/index.m3u8").options()).doesNotContainKey("analyzeduration");
        assertThat(of("srt://media:9000?streamid=a").options()).doesNotContainKey("analyzeduration");
        assertThat(of("rtsp://cam/stream").options()).doesNotContainKey("analyzeduration");
        assertThat(of("http://media/a.flv.m3u8").options()).doesNotContainKey("analyzeduration");
    }

    /**
     * Issue 21, finding 5: the worker logged output and input file names, which may be a Secret's value (urlFrom). The
     * names that go to logs and reasons say the kind of file only.
     */
    @Test
    void fileNamesNeverReachLogNames() {
        MixInput in = new MixInput();
        in.url = "file:///recordings/acme-q3-private-board.mp4";
        assertThat(InputSource.of(in, null).safeName()).doesNotContain("acme");
        io.streammix.api.v1alpha1.MixOutput out = new io.streammix.api.v1alpha1.MixOutput();
        out.name = "rec";
        for (String url : new String[] {"/recordings/acme-q3-private-board.mkv", "file:///recordings/acme-q3-private-board",
                "/recordings/acme-q3-private-board/index.m3u8"}) {
            out.url = url;
            assertThat(io.streammix.worker.engine.output.sink.OutputTarget.of(out, 0, java.nio.file.Path.of("/tmp"))
                    .safeName()).as(url).doesNotContain("acme");
        }
    }
}
