package io.streammix.worker.engine.source;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticSourceTest {
    @Test
    void buildsGraphsFromCheckedParameters() {
        assertThat(SyntheticSource.toLavfiGraph("synthetic:testsrc?size=640x360&fps=15&tone=440"))
                .isEqualTo("testsrc=size=640x360:rate=15,format=yuv420p[out0];sine=frequency=440:sample_rate=48000:samples_per_frame=480[out1]");
        assertThat(SyntheticSource.toLavfiGraph("synthetic:color?color=%23FF0000&size=320x240"))
                .startsWith("color=c=0xFF0000:size=320x240:rate=15,format=yuv420p[out0]").doesNotContain("sine");
        assertThat(SyntheticSource.toLavfiGraph("synthetic:sine?frequency=880")).contains("frequency=880");
        assertThat(SyntheticSource.toLavfiGraph("synthetic:flashbeep")).contains("drawbox").contains("aevalsrc");
    }

    @Test
    void refusesAnythingThatCouldReachTheFilterGraph() {
        assertThatThrownBy(() -> SyntheticSource.toLavfiGraph("synthetic:testsrc?size=640x360,drawtext=text=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> SyntheticSource.toLavfiGraph("synthetic:color?color=red;movie=/etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticSource.toLavfiGraph("synthetic:movie?filename=/etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown synthetic source");
        assertThatThrownBy(() -> SyntheticSource.toLavfiGraph("synthetic:sine?frequency=440&volume=9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume");
        assertThatThrownBy(() -> SyntheticSource.toLavfiGraph("synthetic:testsrc?fps=1000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fps");
    }

    @Test
    void inputSourceKeepsCredentialsOutOfItsSafeName() {
        var in = new io.streammix.api.v1alpha1.MixInput();
        in.url = "rtmp://user:secret@example.com:1935/live/streamkey?token=abc";
        InputSource s = InputSource.of(in, null);
        assertThat(s.safeName()).isEqualTo("rtmp://example.com:1935/…").doesNotContain("secret", "streamkey", "token");
        assertThat(s.options()).containsKey("rw_timeout").doesNotContainKey("timeout");
    }
}
