package io.streammix.worker.metrics;

import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.LoopbackFeeds;
import io.streammix.worker.MediaTools;
import io.streammix.worker.WorkerProcess;
import io.streammix.worker.contract.SpecSubmission;
import org.hawkular.agent.prometheus.types.MetricType;
import org.hawkular.agent.prometheus.types.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.streammix.worker.MediaTools.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real worker JVM scraped as Prometheus scrapes it (its metrics port, no token) and the exposition read by a
 * Prometheus text parser: the figures move with the media (frames and bytes grow, an input killed at its source
 * goes Lost and its lag grows, an output pushing to a dead server reconnects) and no URL or key shows.
 */
class WorkerMetricsScrapeTest {
    private static final String TOKEN = "metrics-test-token-do-not-show";
    @TempDir
    Path dir;

    @Test
    void aPrometheusScrapeFollowsTheMix() throws Exception {
        LoopbackFeeds feeds = new LoopbackFeeds(dir.resolve("feeds"));
        WorkerProcess worker = null;
        try {
            feeds.camera("cam2", 0x3366CC, 660, 15);
            feeds.awaitLive();
            MixOutput push = MediaTools.fileOutput("push", dir.resolve("unused.mp4"), 320, 240, 15);
            // Nobody listens there: the output keeps reconnecting. The key must never reach the metrics.
            push.url = "rtmp://127.0.0.1:" + MediaTools.freePort() + "/live/push?key=SECRETKEY";
            push.video.bitrate = 400_000;
            MixOutput rec = MediaTools.fileOutput("rec", dir.resolve("rec.mp4"), 320, 240, 15);
            rec.video.bitrate = 600_000;
            MixTaskSpec spec = MediaTools.spec(List.of(
                            input("synth", "synthetic:testsrc?size=320x240&fps=15&tone=440", 0, 0, 160, 240, 0),
                            input("feed", feeds.url("cam2"), 160, 0, 320, 240, 0),
                            // Nobody publishes there: never received.
                            input("never", "rtmp://127.0.0.1:" + MediaTools.freePort() + "/live/never", 0, 0, 80, 60, 1)),
                    List.of(rec, push));
            worker = WorkerProcess.start(dir, new SpecSubmission(1, spec), TOKEN, dir.resolve("worker.log"),
                    Map.of(MetricsServer.ENV_NAMESPACE, "media", MetricsServer.ENV_TASK, "demo"));
            WorkerProcess w = worker;

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                PrometheusScrape s = scrape(w);
                return s.value("mixtask_input_state", "input", "feed", "state", "Live") == 1
                        && s.value("mixtask_output_frames_total", "output", "rec") > 30
                        && s.value("mixtask_output_reconnects_total", "output", "push") >= 1;
            });
            HttpResponse<String> first = worker.scrape();
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            PrometheusScrape a = PrometheusScrape.parse(first.body());
            Thread.sleep(2500);
            String secondBody = worker.scrape().body();
            PrometheusScrape b = PrometheusScrape.parse(secondBody);
            System.out.println("---- scrape of the running worker ----\n" + secondBody);

            // Types as Prometheus reads them.
            assertThat(b.type("mixtask_output_frames_total")).isEqualTo(MetricType.COUNTER);
            assertThat(b.type("mixtask_output_bytes_total")).isEqualTo(MetricType.COUNTER);
            assertThat(b.type("mixtask_input_lag_seconds")).isEqualTo(MetricType.GAUGE);
            assertThat(b.type("mixtask_output_video_encode_seconds")).isEqualTo(MetricType.SUMMARY);

            // Every series of ours names the task, and the inputs and outputs by their names.
            b.families().values().stream().filter(f -> f.getName().startsWith("mixtask_")).flatMap(f -> f.getMetrics().stream())
                    .forEach(m -> assertThat(m.getLabels()).containsEntry("namespace", "media").containsEntry("task", "demo"));
            assertThat(b.samples("mixtask_output_frames_total")).extracting(m -> m.getLabels().get("output"))
                    .containsExactlyInAnyOrder("rec", "push");

            // The figures move with the media.
            assertThat(b.value("mixtask_output_frames_total", "output", "rec"))
                    .isGreaterThan(a.value("mixtask_output_frames_total", "output", "rec") + 15);
            assertThat(b.value("mixtask_output_bytes_total", "output", "rec"))
                    .isGreaterThan(a.value("mixtask_output_bytes_total", "output", "rec"));
            for (String in : List.of("synth", "feed")) {
                assertThat(b.value("mixtask_input_frames_total", "input", in)).as(in)
                        .isGreaterThan(a.value("mixtask_input_frames_total", "input", in) + 15);
                assertThat(b.value("mixtask_input_lag_seconds", "input", in)).as(in).isBetween(0.0, 0.5);
            }
            assertThat(b.value("mixtask_mix_media_seconds_total") - a.value("mixtask_mix_media_seconds_total")).isBetween(1.5, 5.0);
            assertThat(b.value("mixtask_mix_cpu_seconds_total")).isGreaterThan(a.value("mixtask_mix_cpu_seconds_total"));
            Summary encode = (Summary) b.sample("mixtask_output_video_encode_seconds", "output", "rec").orElseThrow();
            assertThat(encode.getSampleCount()).isGreaterThan(30);
            assertThat(encode.getSampleSum() / encode.getSampleCount()).as("encode seconds per frame").isBetween(1e-5, 0.1);
            Summary ticks = (Summary) b.sample("mixtask_mix_tick_lateness_seconds").orElseThrow();
            assertThat(ticks.getSampleCount()).isGreaterThan(30);
            assertThat(b.value("mixtask_output_target_bitrate_bits_per_second", "output", "rec")).isEqualTo(600_000 + 128_000);
            assertThat(b.value("mixtask_output_bitrate_bits_per_second", "output", "rec")).isGreaterThan(0);
            assertThat(b.value("mixtask_output_state", "output", "rec", "state", "Live")).isEqualTo(1);
            assertThat(b.value("mixtask_output_state", "output", "push", "state", "Reconnecting")).isEqualTo(1);
            assertThat(b.value("mixtask_output_state", "output", "push", "state", "Live")).isEqualTo(0);
            assertThat(b.value("mixtask_output_frames_total", "output", "push")).as("encoding goes on while reconnecting").isGreaterThan(0);

            // Per destination: the push reaches nobody (0 bit/s, Reconnecting, its port probes counted as attempts)
            // while the same output's local HTTP-FLV playback receives every packet.
            assertThat(b.value("mixtask_output_sink_bitrate_bits_per_second", "output", "push", "sink", "push")).isZero();
            assertThat(b.value("mixtask_output_sink_bytes_total", "output", "push", "sink", "push")).isZero();
            assertThat(b.value("mixtask_output_sink_state", "output", "push", "sink", "push", "state", "Reconnecting")).isEqualTo(1);
            assertThat(b.value("mixtask_output_sink_bitrate_bits_per_second", "output", "push", "sink", "flv")).isGreaterThan(0);
            assertThat(b.value("mixtask_output_sink_state", "output", "push", "sink", "flv", "state", "Live")).isEqualTo(1);
            assertThat(b.value("mixtask_output_sink_connect_attempts_total", "output", "push", "sink", "push"))
                    .as("probes every 250 ms, counted as they start").isGreaterThan(a.value("mixtask_output_sink_connect_attempts_total",
                            "output", "push", "sink", "push") + 3);
            assertThat(b.value("mixtask_output_sink_bitrate_bits_per_second", "output", "rec", "sink", "file")).isGreaterThan(0);
            assertThat(b.value("mixtask_output_sink_bytes_total", "output", "rec", "sink", "file")).isGreaterThan(0);
            // An input never received: no lag series at all (not NaN).
            assertThat(b.sample("mixtask_input_lag_seconds", "input", "never")).isEmpty();
            assertThat(b.value("mixtask_input_state", "input", "never", "state", "Live")).isZero();

            // Every family of ours is in the table of docs/observability.md.
            String documented = String.join("\n", Files.readAllLines(Path.of("docs", "observability.md")).stream()
                    .filter(l -> l.startsWith("| `mixtask_")).map(l -> l.split("\\|")[1]).toList());
            assertThat(b.families().keySet()).filteredOn(n -> n.startsWith("mixtask_")).hasSizeGreaterThan(20)
                    .allSatisfy(n -> assertThat(documented).as("documented").contains("`" + n));

            // Secrets: no URL, no key, no token, in any label or help text.
            assertThat(secondBody).doesNotContain("://", "SECRETKEY", TOKEN, "127.0.0.1");

            // An input killed at its source goes Lost; its lag grows; the other input stays Live.
            feeds.close();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                PrometheusScrape s = scrape(w);
                return s.value("mixtask_input_state", "input", "feed", "state", "Lost") == 1
                        && s.value("mixtask_input_losses_total", "input", "feed") >= 1
                        && s.value("mixtask_input_lag_seconds", "input", "feed") > 2;
            });
            PrometheusScrape c = scrape(worker);
            assertThat(c.value("mixtask_input_state", "input", "feed", "state", "Live")).isEqualTo(0);
            assertThat(c.value("mixtask_input_state", "input", "synth", "state", "Live")).isEqualTo(1);
            assertThat(c.value("mixtask_input_losses_total", "input", "synth")).isZero();
            assertThat(c.value("mixtask_output_frames_total", "output", "rec")).as("the mix goes on")
                    .isGreaterThan(b.value("mixtask_output_frames_total", "output", "rec"));
        } finally {
            feeds.close();
            if (worker != null) {
                worker.process().destroy();
                assertThat(worker.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(Files.readString(dir.resolve("worker.log"))).contains("metrics on port");
    }

    private static PrometheusScrape scrape(WorkerProcess w) throws Exception {
        HttpResponse<String> r = w.scrape();
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusScrape.parse(r.body());
    }
}
