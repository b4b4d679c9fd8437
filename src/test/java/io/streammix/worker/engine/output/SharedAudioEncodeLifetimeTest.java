package io.streammix.worker.engine.output;

import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.worker.MediaTools;
import io.streammix.worker.engine.mix.MixClock;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;

/**
 * Issue 24: a shared audio encoder's context outlives its flush until every output that joined it has released it
 * (closed its muxers, which were set up from it). It was freed as soon as the flush ended while the last output was
 * still writing the flushed packets, whose time base was then read from freed memory.
 */
class SharedAudioEncodeLifetimeTest {

    @Test
    void theEncoderIsFreedOnlyWhenTheFlushHasEndedAndEveryOutputHasReleasedIt() throws Exception {
        MixOutput spec = MediaTools.fileOutput("a", Path.of("unused.mp4"), 320, 180, 15);
        spec.audio.bitrate = 112_000; // an encoder of its own: no other test's thread has this name
        SharedAudioEncodes encodes = new SharedAudioEncodes();
        List<AVPacket> a = new CopyOnWriteArrayList<>();
        List<AVPacket> b = new CopyOnWriteArrayList<>();
        AudioSubscriber first = encodes.join(spec, 0, AudioCodec.AAC_LC, "a", new Object(), 0, a::add);
        AudioSubscriber second = encodes.join(spec, 1, AudioCodec.AAC_LC, "b", new Object(), 0, b::add);
        try {
            for (int i = 0; i < 20; i++) {
                short[] chunk = new short[MixClock.CHUNK * 2];
                first.feed(chunk, (long) i * MixClock.CHUNK, MixClock.CHUNK);
                second.feed(chunk, (long) i * MixClock.CHUNK, MixClock.CHUNK);
            }
            first.finish(2000);
            second.finish(2000);
            await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("audio-aac-112000-2")));
            assertThat(a).as("packets of the first output").hasSizeGreaterThan(10);
            assertThat(b).as("packets of the last output, flushed ones too").hasSizeGreaterThan(a.size() - 1);

            first.release();
            assertThat(second.encoderClosed()).as("freed while an output still writes its last packets").isFalse();
            assertThat(second.encoder().timeBase().den()).isEqualTo(48_000);
            second.release();
            second.release(); // a second release by the same output changes nothing
            assertThat(second.encoderClosed()).as("freed once the flush has ended and both released it").isTrue();
        } finally {
            a.forEach(p -> av_packet_free(p));
            b.forEach(p -> av_packet_free(p));
        }
    }
}
