package io.streammix.e2e;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Phase;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole product on a real cluster: the image built from this checkout (-Pimage) and imported into k3s, the
 * Helm chart installed, the synthetic-input example applied, its HTTP-FLV output probed through the
 * worker's Service, a live field patched, and everything gone after delete. Skipped (with a message)
 * where no Docker engine is available.
 */
@ExtendWith(DockerAvailable.class)
class K3sEndToEndIT {
    /** The image tar the build writes with {@code -Pimage} (pom profile "image", Jib: no Docker daemon needed for it). */
    static final Path IMAGE_TAR = Path.of("target", "mixtask-operator-image.tar");
    static final String NS = "mixtask-e2e";
    static K3sContainer k3s;
    static KubernetesClient client;

    @BeforeAll
    static void cluster() throws Exception {
        assertThat(IMAGE_TAR).as("run with -Pimage (the image tar is written at package: ./mvnw verify -Pimage)").exists();
        Path tar = IMAGE_TAR.toAbsolutePath();
        k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));
        k3s.start();
        k3s.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/image.tar");
        assertThat(k3s.execInContainer("ctr", "images", "import", "/tmp/image.tar").getExitCode()).isZero();
        String kubeconfig = k3s.getKubeConfigYaml();
        new Helm(Path.of("helm", "mixtask-operator")).install()
                .withName("mixtask").withNamespace(NS).createNamespace()
                .withKubeConfigContents(kubeconfig)
                .set("image.repository", "ghcr.io/streammix/mixtask-operator").set("image.tag", "0.1.0")
                .set("image.pullPolicy", "Never")
                .waitReady().withTimeout(300)
                .call();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (k3s != null) {
            k3s.stop();
        }
    }

    @Test
    void syntheticExampleRunsPlaysUpdatesLiveAndCleansUp() throws Exception {
        MixTask task = client.resources(MixTask.class).inNamespace(NS)
                .load(Path.of("examples", "synthetic-demo.yaml").toFile()).item();
        task.getMetadata().setNamespace(NS);
        client.resource(task).create();
        String name = task.getMetadata().getName();

        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            MixTask t = client.resources(MixTask.class).inNamespace(NS).withName(name).get();
            return t.getStatus() != null && t.getStatus().phase == Phase.Running;
        });
        MixTask running = client.resources(MixTask.class).inNamespace(NS).withName(name).get();
        URI flv = URI.create(running.getStatus().play.get(0).flvUrl);
        String service = flv.getHost().split("\\.")[0];

        try (LocalPortForward pf = client.services().inNamespace(NS).withName(service).portForward(8080)) {
            String local = "http://127.0.0.1:" + pf.getLocalPort() + flv.getPath();
            String ffprobe = Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
            Process p = new ProcessBuilder(ffprobe, "-v", "error", "-rw_timeout", "10000000", "-select_streams", "v:0",
                    "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", local).redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes())).startsWith("h264,");
        }

        long generation = running.getMetadata().getGeneration();
        client.resources(MixTask.class).inNamespace(NS).withName(name).edit(t -> {
            t.getSpec().background = new Background("#336699", null);
            return t;
        });
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            MixTask t = client.resources(MixTask.class).inNamespace(NS).withName(name).get();
            return t.getStatus().appliedGeneration != null && t.getStatus().appliedGeneration > generation;
        });

        client.resources(MixTask.class).inNamespace(NS).withName(name).delete();
        await().atMost(Duration.ofMinutes(2)).until(() ->
                client.apps().deployments().inNamespace(NS).withLabel("streammix.io/task", name).list().getItems().isEmpty()
                        && client.services().inNamespace(NS).withLabel("streammix.io/task", name).list().getItems().isEmpty()
                        && client.secrets().inNamespace(NS).withLabel("streammix.io/task", name).list().getItems().isEmpty());
    }
}
