package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avutil.AVRational;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streams of a muxer do not read their encoders' contexts while packets are written: an output shares its audio
 * encoder with others ({@code SharedAudioEncode}), which is flushed and freed when the last of them stops while an
 * output may still be writing its last audio packets. Issue 24: the time base was a view into the encoder's context,
 * read after the context was freed (suspected, not confirmed, cause of an intermittent 9026 s {@code rec.mp4}).
 */
class MuxerStreamsTest {

    @Test
    void theTimeBaseOfAnEncodedStreamIsTakenWhenTheStreamsAreMadeNotReadFromTheEncoderLater() {
        Encoder aac = Encoder.audio("aac", 128_000, 2, 48_000, "t");
        try {
            Muxer.Streams streams = Muxer.Streams.encoded(List.of(aac), "t");
            // What the context's memory holds once it is freed and reused (deterministic stand-in for the reuse).
            aac.context().time_base(Av.q(1, 3));
            AVRational tb = streams.timeBase(0);
            assertThat(tb.num() + "/" + tb.den()).as("the time base of the packets written to the stream").isEqualTo("1/48000");
        } finally {
            aac.close();
        }
    }
}
