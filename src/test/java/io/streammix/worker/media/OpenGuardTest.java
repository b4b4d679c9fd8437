package io.streammix.worker.media;

import io.streammix.worker.EngineRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13, finding 3, at the last door: whatever URL reaches FFmpeg (admission and the operator aside), the worker
 * refuses link-local and metadata addresses before connecting, and FFmpeg's protocol whitelist refuses pseudo-protocols
 * that the audit used to read local files ({@code subfile,,start,0,end,0,,:/path} read the file on the old worker).
 */
class OpenGuardTest {
    @TempDir
    Path dir;

    @Test
    void linkLocalAndMetadataAddressesAreRefusedBeforeConnecting() {
        for (String url : new String[] {"http://169.254.169.254/latest/meta-data/", "rtmp://[fe80::1]/live/x",
                "http://[::ffff:169.254.169.254]/", "srt://169.254.10.10:9000", "http://100.100.100.200/latest/"}) {
            assertThatThrownBy(() -> OpenGuard.check(url, "spec.inputs[0]")).as(url).isInstanceOf(MediaException.class)
                    .hasMessageStartingWith("spec.inputs[0]: refused").hasMessageNotContaining("169.254");
        }
        assertThatCode(() -> OpenGuard.check("rtmp://127.0.0.1:1935/live/x", "in")).doesNotThrowAnyException();
        assertThatCode(() -> OpenGuard.check("/recordings/a.mp4", "in")).doesNotThrowAnyException();
    }

    /**
     * Issue 21, finding 1: host spellings the C resolver reads as an address but Java does not ({@code 127.0.0.0x5},
     * {@code 169.0xfe.169.254}), and {@code http:HOST/} which FFmpeg connects to HOST while Java sees no host, passed
     * every check. They are refused by the URL policy, and at the last door, before FFmpeg sees them.
     */
    @Test
    void hostsTheCResolverReadsOtherwiseThanJavaAreRefused() {
        for (String url : new String[] {"http://127.0.0.0x5/x", "http://169.0xfe.169.254/latest/", "http://0x7f.1/",
                "http://2130706433/", "http://0177.0.0.1/", "http://127.1/", "rtmp://169.254.0xa9fe/live/x",
                "http:169.254.169.254/latest/", "http:/169.254.169.254/latest/", "rtmp:internal-host/live/x",
                "http:///169.254.169.254/", "srt:169.254.169.254:9000"}) {
            assertThat(io.streammix.api.validation.UrlPolicy.refusal(url, io.streammix.api.validation.UrlPolicy.Use.INPUT))
                    .as("URL policy: " + url).isNotNull();
            assertThatThrownBy(() -> OpenGuard.check(url, "spec.inputs[0]")).as(url).isInstanceOf(MediaException.class)
                    .hasMessageStartingWith("spec.inputs[0]: refused");
        }
        for (String url : new String[] {"rtmp://127.0.0.1:1935/live/x", "http://10.0.0.5/x.m3u8", "http://0xcafe.example/x",
                "http://media.example:8080/live/a.flv", "srt://[::1]:9000"}) {
            assertThat(io.streammix.api.validation.UrlPolicy.refusal(url, io.streammix.api.validation.UrlPolicy.Use.INPUT))
                    .as(url).isNull();
            assertThatCode(() -> OpenGuard.check(url, "in")).as(url).doesNotThrowAnyException();
        }
    }

    @Test
    void pseudoProtocolsAreOffTheWhitelistEvenIfAPathSlipsThrough() throws Exception {
        EngineRun.prepare();
        Path secret = Files.writeString(dir.resolve("secret.txt"), "token=abc\n".repeat(100));
        String subfile = "subfile,,start,0,end,0,,:" + secret;
        String concat = "concat:" + secret + "|" + secret;
        for (String url : new String[] {subfile, concat, "data:text/plain;base64,dG9rZW49YWJj"}) {
            try (Interrupter i = new Interrupter()) {
                assertThatThrownBy(() -> Demuxer.open(url, "tty", Map.of(), i, 2000, 2000, "spec.inputs[0]").close()).as(url)
                        .isInstanceOf(MediaException.class).hasMessageStartingWith("spec.inputs[0]: cannot open");
            }
        }
        // The same file as a plain path opens (the tty demuxer reads any text): the refusal was the protocol's.
        try (Interrupter i = new Interrupter()) {
            Demuxer.open(secret.toString(), "tty", Map.of(), i, 2000, 2000, "in").close();
        }
    }
}
