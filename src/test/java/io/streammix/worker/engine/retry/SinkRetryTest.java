package io.streammix.worker.engine.retry;

import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry policy of a lost network output against real TCP ports on loopback: a closed port is only probed, a
 * port that comes back gets a reopen at once, a server that answers but refuses the stream gets reopens spaced by a
 * growing delay, and a destination without a TCP port (SRT) is retried on a fixed interval.
 */
class SinkRetryTest {
    private static final long MS = 1_000_000;

    @Test
    void aClosedPortIsProbedAndAReturningServerIsReopenedAtOnce() throws Exception {
        int port = MediaTools.freePort();
        SinkRetry r = SinkRetry.of("rtmp://127.0.0.1:" + port + "/live/stream?key=secret");
        assertThat(r.probes()).isTrue();
        long t0 = System.nanoTime();
        r.opened(t0 - 60_000 * MS);
        r.lost(t0); // a long-lived connection lost: probe at once
        assertThat(r.nextAttempt(t0)).isEqualTo("next attempt in 0.25 s");
        assertThat(pollFor(r, 1200)).as("nothing listens: never due").isFalse();
        try (ServerSocket server = new ServerSocket(port, 5, InetAddress.getLoopbackAddress())) {
            long back = System.nanoTime();
            assertThat(pollFor(r, 1000)).as("the port answers again").isTrue();
            assertThat((System.nanoTime() - back) / 1e6).as("ms from the port answering to the reopen").isLessThan(600);
        }
    }

    @Test
    void aServerThatAnswersButRefusesIsNotHammered() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            SinkRetry r = SinkRetry.of("rtmp://127.0.0.1:" + server.getLocalPort() + "/live/x");
            long[] gaps = new long[4];
            long last = System.nanoTime();
            r.openFailed(last);
            for (int i = 0; i < gaps.length; i++) {
                assertThat(pollFor(r, 6000)).isTrue();
                long now = System.nanoTime();
                gaps[i] = (now - last) / MS;
                last = now;
                r.openFailed(now); // refused again
            }
            // 0.5, 1, 2, 4 s (each rounded up to the next probe).
            assertThat(gaps[0]).isBetween(450L, 900L);
            assertThat(gaps[1]).isBetween(950L, 1400L);
            assertThat(gaps[2]).isBetween(1950L, 2400L);
            assertThat(gaps[3]).isBetween(3950L, 4400L);
            assertThat(r.nextAttempt(last)).isEqualTo("next attempt in 4.00 s");
        }
    }

    @Test
    void aStreamDroppedSoonAfterItOpenedCountsAsARefusal() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            SinkRetry r = SinkRetry.of("rtmps://user:pw@127.0.0.1:" + server.getLocalPort() + "/app");
            long now = System.nanoTime();
            r.opened(now - 1000 * MS);
            r.lost(now);
            assertThat(pollFor(r, 350)).as("not before the refusal delay").isFalse();
            assertThat(pollFor(r, 700)).isTrue();
        }
    }

    @Test
    void srtHasNoPortToProbeAndIsRetriedOnAFixedInterval() {
        SinkRetry r = SinkRetry.of("srt://127.0.0.1:9000?streamid=secret");
        assertThat(r.probes()).isFalse();
        long now = System.nanoTime();
        r.openFailed(now);
        assertThat(r.due(now + 1400 * MS)).isFalse();
        assertThat(r.due(now + 1500 * MS)).isTrue();
        assertThat(r.nextAttempt(now)).isEqualTo("next attempt in 1.50 s");
    }

    @Test
    void hostsAndPortsAreReadFromTheUrl() throws Exception {
        SinkRetry r = SinkRetry.of("rtmp://localhost/live/key");
        assertThat(r.probes()).isTrue();
        assertThat(SinkRetry.of("rtmp://[::1]:1936/live").probes()).isTrue();
        assertThat(SinkRetry.of("rtmp://host:notaport/live").probes()).isFalse();
    }

    /** Polls {@code due} every 10 ms for up to {@code ms}; true as soon as it is due. */
    private static boolean pollFor(SinkRetry r, long ms) throws InterruptedException {
        LongSupplier now = System::nanoTime;
        long end = now.getAsLong() + ms * MS;
        while (now.getAsLong() < end) {
            if (r.due(now.getAsLong())) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
