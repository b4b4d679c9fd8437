package io.streammix.worker.playback;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out of FLV tags: late joiners start with the header and the last GOP, a client that stops reading is
 * dropped without holding up the publisher or the other clients. Tags are built by hand here (type, size, one body
 * byte with the frame type), as FFmpeg's muxer lays them out.
 */
class FlvBroadcasterTest {
    private static final byte[] HEADER = {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0};

    /** A video tag (keyframe or not) with {@code n} body bytes, plus its PreviousTagSize. */
    private static byte[] videoTag(boolean key, int n, byte fill) {
        byte[] t = new byte[11 + n + 4];
        t[0] = 9;
        t[1] = (byte) (n >> 16);
        t[2] = (byte) (n >> 8);
        t[3] = (byte) n;
        for (int i = 11; i < 11 + n; i++) {
            t[i] = fill;
        }
        t[11] = (byte) ((key ? 0x10 : 0x20) | 7);
        return t;
    }

    /** Collects what a client receives on its own thread. */
    private static final class Reader extends Thread {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final FlvBroadcaster b;

        Reader(FlvBroadcaster b) {
            this.b = b;
            start();
        }

        @Override
        public void run() {
            b.stream(got);
        }
    }

    @Test
    void aLateClientGetsTheHeaderThenTheLastGopThenLiveTags() throws Exception {
        FlvBroadcaster b = new FlvBroadcaster("t", 5_000_000_000L, 1 << 20);
        b.header(HEADER, true);
        byte[] k1 = videoTag(true, 20, (byte) 1);
        byte[] p1 = videoTag(false, 20, (byte) 2);
        byte[] k2 = videoTag(true, 20, (byte) 3);
        byte[] p2 = videoTag(false, 20, (byte) 4);
        // Tags arrive cut anywhere: the first keyframe tag in two pieces, two tags in one write.
        b.publish(java.util.Arrays.copyOf(k1, 7));
        b.publish(java.util.Arrays.copyOfRange(k1, 7, k1.length));
        byte[] both = new byte[p1.length + k2.length];
        System.arraycopy(p1, 0, both, 0, p1.length);
        System.arraycopy(k2, 0, both, p1.length, k2.length);
        b.publish(both);
        b.publish(p2);
        Reader late = new Reader(b);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.clients() == 1);
        byte[] p3 = videoTag(false, 20, (byte) 5);
        b.publish(p3);
        b.end();
        late.join(5000);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(HEADER);
        expected.write(k2);
        expected.write(p2);
        expected.write(p3);
        assertThat(late.got.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndNeverHoldsUpTheOthers() throws Exception {
        FlvBroadcaster b = new FlvBroadcaster("t", 300_000_000L, 1 << 20);
        b.header(HEADER, true);
        CountDownLatch never = new CountDownLatch(1);
        // Blocks on its first write like a socket whose peer stopped reading; interrupting it aborts the write.
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int x) throws IOException {
                write(new byte[]{(byte) x}, 0, 1);
            }

            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted");
                }
            }
        };
        Thread slow = new Thread(() -> b.stream(stuck));
        slow.start();
        Reader fast = new Reader(b);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.clients() == 2);
        long t0 = System.nanoTime();
        int tags = 0;
        while (System.nanoTime() - t0 < 1_000_000_000L) {
            b.publish(videoTag(tags % 15 == 0, 1000, (byte) 9));
            tags++;
            Thread.sleep(10);
        }
        assertThat((System.nanoTime() - t0) / 1e9).as("publishing never waited for the stuck client").isLessThan(2.0);
        await().atMost(Duration.ofSeconds(5)).until(() -> !slow.isAlive());
        assertThat(b.droppedClients()).isEqualTo(1);
        assertThat(b.clients()).isEqualTo(1);
        b.end();
        fast.join(5000);
        assertThat(fast.got.size()).as("the other client got every tag").isEqualTo(HEADER.length + tags * (11 + 1000 + 4));
    }
}
