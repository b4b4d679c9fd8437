package io.streammix.worker.engine.input;

import io.streammix.api.v1alpha1.LossDisplay;
import io.streammix.api.v1alpha1.LossPolicy;
import io.streammix.worker.MediaTools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An RTSP input from a real RTSP server (GStreamer's, through its Python bindings): H.264 and Opus over RTP, read over
 * TCP (rtsp_transport tcp). The server is killed and started again on the same port.
 */
class RtspInputLossMediaTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    /** Red 320x240 with a ball moving in its top-left 64x32 corner, and a 440 Hz tone. */
    static final String LAUNCH = "( compositor name=c background=black ! video/x-raw,width=320,height=240,framerate=25/1 "
            + "! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 ! video/x-h264,profile=baseline "
            + "! rtph264pay name=pay0 pt=96 config-interval=1 "
            + "videotestsrc is-live=true pattern=solid-color foreground-color=0xFFFF0000 "
            + "! video/x-raw,width=320,height=240,framerate=25/1 ! c.sink_0 "
            + "videotestsrc is-live=true pattern=ball background-color=0xFFFF0000 "
            + "! video/x-raw,width=64,height=32,framerate=25/1 ! c.sink_1 "
            + "audiotestsrc is-live=true freq=440 volume=0.5 ! audioconvert ! audioresample ! opusenc ! rtpopuspay name=pay1 pt=97 )";
    static final String SERVER = """
            import sys, gi
            gi.require_version('Gst', '1.0')
            gi.require_version('GstRtspServer', '1.0')
            from gi.repository import Gst, GstRtspServer, GLib
            Gst.init(None)
            missing = [e for e in ('x264enc', 'compositor', 'opusenc', 'rtph264pay', 'rtpopuspay', 'videotestsrc') if not Gst.ElementFactory.find(e)]
            if missing:
                print('missing GStreamer elements: ' + ' '.join(missing)); sys.exit(3)
            if sys.argv[1] == 'check':
                sys.exit(0)
            server = GstRtspServer.RTSPServer()
            server.set_address('127.0.0.1')
            server.set_service(sys.argv[1])
            factory = GstRtspServer.RTSPMediaFactory()
            factory.set_launch(sys.argv[2])
            factory.set_shared(True)
            server.get_mount_points().add_factory('/cam', factory)
            server.attach(None)
            print('ready', flush=True)
            GLib.MainLoop().run()
            """;

    @TempDir
    Path dir;

    @Test
    void anRtspServerThatDiesAndReturns() throws Exception {
        Path script = dir.resolve("rtsp_server.py");
        Files.writeString(script, SERVER);
        assumeGstRtspServer(script);
        int port = MediaTools.freePort();
        LossScenario.Peer server = new LossScenario.Peer() {
            Process p;

            @Override
            public void start() throws Exception {
                p = new ProcessBuilder(PYTHON.toString(), script.toString(), String.valueOf(port), LAUNCH).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("rtsp-" + System.nanoTime() + ".log").toFile()).start();
                MediaTools.awaitListening(port, Duration.ofSeconds(10));
            }

            @Override
            public void stop() throws Exception {
                if (p != null) {
                    p.destroyForcibly().waitFor();
                }
            }
        };
        LossScenario.run("RTSP", dir, "rtsp://127.0.0.1:" + port + "/cam", server,
                new LossPolicy(500, LossDisplay.Background, null), LossScenario.BLUE, false, true, 2.5, Duration.ofSeconds(4));
    }

    /** Skips with one line when python3-gi, GStreamer's RTSP server or the elements it needs are missing. */
    private static void assumeGstRtspServer(Path script) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "skipped: /usr/bin/python3 is not installed");
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), "check").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        Assumptions.assumeTrue(done && p.exitValue() == 0, "skipped: GStreamer's RTSP server is not usable (Debian: python3-gi "
                + "gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base/good/ugly): " + out.lines().reduce((a, b) -> b).orElse(""));
    }
}
