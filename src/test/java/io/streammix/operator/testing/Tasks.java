package io.streammix.operator.testing;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.worker.contract.ControlApi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** MixTasks for tests: two inputs (a synthetic URL and a stream id) side by side, one 640x360 output by stream id. */
public final class Tasks {
    public static final List<String> INPUTS = List.of("cam1", "cam2");
    public static final List<String> OUTPUTS = List.of("out1");

    private Tasks() {
    }

    public static MixTask mixTask(String namespace, String name) {
        MixTask task = new MixTask();
        task.getMetadata().setName(name);
        task.getMetadata().setNamespace(namespace);
        MixTaskSpec spec = new MixTaskSpec();
        spec.roomId = "room-7";
        MixInput synthetic = new MixInput();
        synthetic.name = "cam1";
        synthetic.url = "synthetic:testsrc?size=320x360&fps=20";
        synthetic.rect = new Rect(0, 0, 320, 360);
        MixInput byStream = new MixInput();
        byStream.streamId = "cam2";
        byStream.rect = new Rect(320, 0, 640, 360);
        spec.inputs = List.of(synthetic, byStream);
        MixOutput out = new MixOutput();
        out.streamId = "out1";
        out.video = new VideoEncoding();
        out.video.width = 640;
        out.video.height = 360;
        out.video.fps = 20; // the default fps cap (OperatorConfig.DEFAULT_MAX_FPS): tests with the defaults accept it
        out.video.bitrate = 800_000;
        spec.outputs = List.of(out);
        task.setSpec(spec);
        return task;
    }

    /** The control token the operator generated for a task, or null before its Secret exists. */
    public static String token(KubernetesClient client, String key) {
        String[] nsName = key.split("/");
        Secret secret = client.secrets().inNamespace(nsName[0]).withName("mt-" + nsName[1]).get();
        if (secret == null || secret.getData() == null || secret.getData().get(ControlApi.SECRET_TOKEN_KEY) == null) {
            return null;
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(ControlApi.SECRET_TOKEN_KEY)), StandardCharsets.UTF_8);
    }

    public static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
