package io.streammix.worker.media;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Deadlines still break a blocked FFmpeg call when many interrupters live at once: JavaCPP makes only ten native
 * trampolines per callback class, and with one callback object per interrupter the eleventh reached FFmpeg as NULL
 * ("never interrupt"). Real FFmpeg, a real silent RTMP server on loopback (it accepts and never answers the handshake).
 */
class InterrupterTest {
    @Test
    void theTwentiethLiveInterrupterStillBreaksAHandshakeThatHangs() throws Exception {
        List<Interrupter> others = new ArrayList<>();
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            // Without a working deadline the open would wait forever: end it after 5 s so that the test fails instead.
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(5000);
                    for (Socket s : accepted) {
                        s.close();
                    }
                } catch (Exception e) {
                    // done
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            for (int i = 0; i < 19; i++) {
                others.add(new Interrupter());
            }
            try (Interrupter twentieth = new Interrupter()) {
                long began = System.nanoTime();
                assertThatThrownBy(() -> Demuxer.open("rtmp://127.0.0.1:" + silent.getLocalPort() + "/live/x", null, Map.of(),
                        twentieth, 500, 500, "silent").close()).isInstanceOf(MediaException.class);
                double seconds = (System.nanoTime() - began) / 1e9;
                assertThat(seconds).as("the open gave up at its deadline, not when the test's sockets closed").isLessThan(5);
                assertThat(twentieth.expired()).isTrue();
            }
        } finally {
            others.forEach(Interrupter::close);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
