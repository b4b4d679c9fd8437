package io.streammix.operator.spec;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.Recording;
import io.streammix.api.v1alpha1.S3Upload;
import io.streammix.api.v1alpha1.ValueFrom;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.control.ControlServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EnableKubernetesMockClient(crud = true)
class SpecResolverTest {
    static KubernetesClient client;

    static final Map<String, String> MEDIA = Map.of("mixtask.max-fps", "30", "mixtask.tenancy.allowed-volume-claims", "rec-pvc",
            "mixtask.media.input-url-template", "rtmp://media.internal/live/{streamId}");

    SpecResolver resolver(Map<String, String> config) {
        OperatorConfig c = OperatorHarness.config(config);
        return new SpecResolver(c, client);
    }

    @Test
    void fpsAboveTheOperatorsCapNamesTheField() {
        MixTask task = Tasks.mixTask("ns", "a");
        task.getSpec().outputs.get(0).video.fps = 31;
        assertThatThrownBy(() -> resolver(MEDIA).resolve(task))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("spec.outputs[0].video.fps"))
                .hasMessageContaining("at most 30");
    }

    @Test
    void unsupportedSchemesAreRefusedWithoutEchoingTheUrl() {
        MixTask task = Tasks.mixTask("ns", "a");
        task.getSpec().inputs.get(0).url = "ftp://user:pw@host/file";
        assertThatThrownBy(() -> resolver(MEDIA).resolve(task)).hasMessageStartingWith("spec.inputs[0].url:")
                .hasMessageContaining("scheme").hasMessageNotContaining("pw@host");

        MixTask out = Tasks.mixTask("ns", "b");
        out.getSpec().outputs.get(0).streamId = null;
        out.getSpec().outputs.get(0).url = "https://example.com/ingest";
        assertThatThrownBy(() -> resolver(MEDIA).resolve(out)).hasMessageStartingWith("spec.outputs[0].url:");
    }

    @Test
    void streamIdInputsNeedAMediaServer() {
        assertThatThrownBy(() -> resolver(Map.of()).resolve(Tasks.mixTask("ns", "a")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("spec.inputs[1].streamId"));
    }

    @Test
    void urlFromIsReadFromTheSecretAndMissingKeysAreNamed() throws Exception {
        client.resource(new SecretBuilder().withNewMetadata().withName("keys").withNamespace("ns").addToLabels(io.streammix.operator.spec.SpecResolver.READABLE_LABEL, "true").endMetadata()
                .withStringData(Map.of("push", "rtmps://live.example.com/app/KEY-42")).build()).create();
        MixTask task = Tasks.mixTask("ns", "a");
        task.getSpec().outputs.get(0).streamId = null;
        task.getSpec().outputs.get(0).urlFrom = new ValueFrom("keys", "push");
        ResolvedSpec resolved = resolver(MEDIA).resolve(task);
        assertThat(resolved.submission().spec().outputs.get(0).url).isEqualTo("rtmps://live.example.com/app/KEY-42");
        assertThat(resolved.submission().spec().outputs.get(0).urlFrom).isNull();
        assertThat(resolved.submission().spec().outputs.get(0).name).isEqualTo("output-0");
        assertThat(resolved.play().get(0).flvUrl).isEqualTo("http://mt-a.ns.svc:8080/live/output-0.flv");
        // The user's object is not modified.
        assertThat(task.getSpec().outputs.get(0).url).isNull();

        task.getSpec().outputs.get(0).urlFrom = new ValueFrom("keys", "nope");
        assertThatThrownBy(() -> resolver(MEDIA).resolve(task)).hasMessage("spec.outputs[0].urlFrom: Secret 'keys' has no key 'nope'");
    }

    @Test
    void outputTemplateTurnsStreamIdsIntoPushUrlsAndKeepsTheName() throws Exception {
        Map<String, String> config = new HashMap<>(MEDIA);
        config.put("mixtask.media.output-url-template", "srt://media.internal:9000?streamid=publish:{roomId}/{streamId}");
        ResolvedSpec resolved = resolver(config).resolve(Tasks.mixTask("ns", "a"));
        var out = resolved.submission().spec().outputs.get(0);
        assertThat(out.url).isEqualTo("srt://media.internal:9000?streamid=publish:room-7/out1");
        assertThat(out.streamId).isNull();
        assertThat(out.name).isEqualTo("out1");
        assertThat(resolved.submission().generation()).isZero();
    }

    @Test
    void s3KeysAreReadFromSecretsIntoTheSubmissionNotTheSpec() throws Exception {
        client.resource(new SecretBuilder().withNewMetadata().withName("s3").withNamespace("ns").addToLabels(io.streammix.operator.spec.SpecResolver.READABLE_LABEL, "true").endMetadata()
                .withStringData(Map.of("id", "AKIDEXAMPLE", "secret", "wJalrXUtnFEMI/K7MDENG")).build()).create();
        MixTask task = Tasks.mixTask("ns", "rec");
        MixOutput rec = new MixOutput();
        rec.name = "rec";
        rec.url = "/recordings/mix.mp4";
        task.getSpec().worker = new io.streammix.api.v1alpha1.WorkerOverrides();
        task.getSpec().worker.volumes = List.of(new io.streammix.api.v1alpha1.WorkerVolume("rec", "rec-pvc", "/recordings"));
        rec.recording = new Recording();
        rec.recording.upload = new S3Upload();
        rec.recording.upload.bucket = "recordings";
        rec.recording.upload.accessKeyFrom = new ValueFrom("s3", "id");
        rec.recording.upload.secretKeyFrom = new ValueFrom("s3", "secret");
        task.getSpec().outputs = new java.util.ArrayList<>(task.getSpec().outputs);
        task.getSpec().outputs.add(rec);

        ResolvedSpec resolved = resolver(MEDIA).resolve(task);
        assertThat(resolved.submission().uploadCredentials())
                .containsOnly(Map.entry("rec", new SpecSubmission.S3Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG")));
        // What the worker's Secret carries has them; the spec part (status, diffs, Events) only the references.
        String json = ControlServer.JSON.writeValueAsString(resolved.submission());
        assertThat(ControlServer.JSON.writeValueAsString(resolved.submission().spec())).doesNotContain("wJalrXUtnFEMI");
        assertThat(ControlServer.JSON.readValue(json, SpecSubmission.class).uploadCredentials().get("rec").secretAccessKey())
                .isEqualTo("wJalrXUtnFEMI/K7MDENG");
        assertThat(resolved.submission().toString()).doesNotContain("wJalrXUtnFEMI");

        rec.recording.upload.secretKeyFrom = new ValueFrom("s3", "nope");
        assertThatThrownBy(() -> resolver(MEDIA).resolve(task))
                .hasMessage("spec.outputs[1].recording.upload.secretKeyFrom: Secret 's3' has no key 'nope'");
    }

    /** Issue 13, finding 2: the operator reads only Secrets that opted in, and says the same of those that did not exist. */
    /**
     * Issue 21, finding 5: a one-character Secret value made the redactor replace that character everywhere, which showed
     * the value by where it was missing. Values that short are refused when read, naming the Secret's key, not the value.
     */
    @Test
    void secretValuesTooShortToRedactAreRefusedNamingTheKey() {
        client.resource(new SecretBuilder().withNewMetadata().withName("tiny").withNamespace("ns")
                .addToLabels(io.streammix.operator.spec.SpecResolver.READABLE_LABEL, "true").endMetadata()
                .withStringData(Map.of("push", "rtmp:", "ak", " Qz9 ")).build()).create();
        MixTask task = Tasks.mixTask("ns", "short");
        task.getSpec().outputs.get(0).streamId = null;
        task.getSpec().outputs.get(0).urlFrom = new ValueFrom("tiny", "push");
        assertThatThrownBy(() -> resolver(MEDIA).resolve(task))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("spec.outputs[0].urlFrom"))
                .hasMessageContaining("'push'").hasMessageContaining("at least 6 characters").hasMessageNotContaining("rtmp:");
        task.getSpec().outputs.get(0).urlFrom = new ValueFrom("tiny", "ak");
        assertThatThrownBy(() -> resolver(MEDIA).resolve(task)).hasMessageContaining("'ak'").hasMessageNotContaining("Qz9");
    }

    /** Issue 21, finding 1: the S3 endpoint is a URL the worker connects to; the host rules apply to it. */
    @Test
    void uploadEndpointsMeetTheUrlPolicysHostRules() {
        for (String endpoint : new String[] {"http://169.254.169.254/", "http://169.0xfe.169.254/", "http:metadata/",
                "https://kubernetes.default.svc/"}) {
            MixTask task = Tasks.mixTask("ns", "ep");
            MixOutput rec = new MixOutput();
            rec.name = "rec";
            rec.url = "/recordings/mix.mp4";
            task.getSpec().worker = new io.streammix.api.v1alpha1.WorkerOverrides();
            task.getSpec().worker.volumes = List.of(new io.streammix.api.v1alpha1.WorkerVolume("rec", "rec-pvc", "/recordings"));
            rec.recording = new Recording();
            rec.recording.upload = new S3Upload();
            rec.recording.upload.bucket = "recordings";
            rec.recording.upload.endpoint = endpoint;
            rec.recording.upload.accessKeyFrom = new ValueFrom("s3", "id");
            rec.recording.upload.secretKeyFrom = new ValueFrom("s3", "secret");
            task.getSpec().outputs = new java.util.ArrayList<>(task.getSpec().outputs);
            task.getSpec().outputs.add(rec);
            assertThatThrownBy(() -> resolver(MEDIA).resolve(task)).as(endpoint)
                    .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field())
                            .isEqualTo("spec.outputs[" + (task.getSpec().outputs.size() - 1) + "].recording.upload.endpoint"));
        }
    }

    @Test
    void secretsWithoutTheOptInLabelAreNotRead() {
        client.resource(new SecretBuilder().withNewMetadata().withName("sa-token").withNamespace("ns").endMetadata()
                .withStringData(Map.of("token", "rtmp://steal.example/live/eyJhbGciOi")).build()).create();
        MixTask task = Tasks.mixTask("ns", "a");
        task.getSpec().outputs.get(0).streamId = null;
        task.getSpec().outputs.get(0).urlFrom = new ValueFrom("sa-token", "token");
        assertThatThrownBy(() -> resolver(MEDIA).resolve(task)).isInstanceOfSatisfying(InvalidSpecException.class, e -> {
            assertThat(e.field()).isEqualTo("spec.outputs[0].urlFrom");
            assertThat(e.getMessage()).contains("not found, or not labelled " + SpecResolver.READABLE_LABEL + "=true")
                    .doesNotContain("eyJhbGciOi");
        });
        task.getSpec().outputs.get(0).urlFrom = new ValueFrom("no-such", "token");
        assertThatThrownBy(() -> resolver(MEDIA).resolve(task)).hasMessageContaining("not found, or not labelled");
    }

    /** Issue 13, finding 3: a urlFrom value goes through the URL policy too, named by its field, never echoed. */
    @Test
    void secretValuesMeetTheUrlPolicy() {
        for (String value : new String[] {"subfile,,start,0,end,0,,:/var/run/secrets/kubernetes.io/serviceaccount/token",
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/", "/etc/mixtask/spec.json"}) {
            client.resource(new SecretBuilder().withNewMetadata().withName("k").withNamespace("ns")
                    .addToLabels(SpecResolver.READABLE_LABEL, "true").endMetadata()
                    .withStringData(Map.of("in", value)).build()).createOr(r -> r.update());
            MixTask task = Tasks.mixTask("ns", "a");
            task.getSpec().inputs.get(0).url = null;
            task.getSpec().inputs.get(0).urlFrom = new ValueFrom("k", "in");
            assertThatThrownBy(() -> resolver(MEDIA).resolve(task)).as(value).isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                assertThat(e.field()).isEqualTo("spec.inputs[0].urlFrom");
                assertThat(e.getMessage()).doesNotContain(value).doesNotContain("169.254.169.254/latest");
            });
        }
    }
}
