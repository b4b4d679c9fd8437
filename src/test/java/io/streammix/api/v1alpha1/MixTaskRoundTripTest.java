package io.streammix.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** YAML → model → JSON/YAML loses nothing and adds nothing (no defaults written, no field dropped). */
class MixTaskRoundTripTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final KubernetesSerialization K8S = new KubernetesSerialization();

    @Test
    void fullExampleSurvivesYamlAndJson() throws IOException {
        JsonNode original;
        try (InputStream in = getClass().getResourceAsStream("/io/streammix/api/mixtask-full.yaml")) {
            original = YAML.readTree(in);
        }
        MixTask task = K8S.unmarshal(YAML.writeValueAsString(original), MixTask.class);
        assertThat(task.getSpec().inputs).hasSize(3);
        assertThat(task.getSpec().inputs.get(2).urlFrom.secretKeyRef.getName()).isEqualTo("stream-keys");
        assertThat(task.getSpec().outputs.get(1).video.codec).isEqualTo(VideoCodec.H265);
        assertThat(task.getSpec().worker.resources.getRequests()).containsKey("cpu");

        JsonNode viaJson = YAML.readTree(K8S.asJson(task)).get("spec");
        JsonNode viaYaml = YAML.readTree(K8S.asYaml(task)).get("spec");
        assertThat(viaJson).isEqualTo(original.get("spec"));
        assertThat(viaYaml).isEqualTo(original.get("spec"));
    }

    @Test
    void statusRoundTrips() {
        MixTask task = new MixTask();
        MixTaskStatus status = new MixTaskStatus();
        status.phase = Phase.Degraded;
        status.mixDuration = 42L;
        PlayInfo play = new PlayInfo();
        play.flvUrl = "http://w:8080/live/a.flv";
        status.play = java.util.List.of(play);
        task.setStatus(status);
        MixTask back = K8S.unmarshal(K8S.asJson(task), MixTask.class);
        assertThat(back.getStatus().phase).isEqualTo(Phase.Degraded);
        assertThat(back.getStatus().mixDuration).isEqualTo(42L);
        assertThat(back.getStatus().play.get(0).flvUrl).isEqualTo("http://w:8080/live/a.flv");
    }
}
