package io.streammix.operator.spec;

import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.operator.testing.Tasks;
import io.streammix.worker.contract.SpecSubmission;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SubmissionDigestTest {
    static final SpecSubmission.S3Credentials A = new SpecSubmission.S3Credentials("AKIA-A", "secret-a");
    static final SpecSubmission.S3Credentials B = new SpecSubmission.S3Credentials("AKIA-B", "secret-b");

    static MixTaskSpec spec(String outputUrl) {
        MixTaskSpec spec = Tasks.mixTask("ns", "a").getSpec();
        spec.outputs.get(0).streamId = null;
        spec.outputs.get(0).url = outputUrl;
        return spec;
    }

    @Test
    void theSameContentHasTheSameDigestWhateverTheGenerationAndMapOrder() {
        Map<String, SpecSubmission.S3Credentials> ab = new LinkedHashMap<>();
        ab.put("a", A);
        ab.put("b", B);
        Map<String, SpecSubmission.S3Credentials> ba = new LinkedHashMap<>();
        ba.put("b", B);
        ba.put("a", A);
        String one = SubmissionDigest.of(new SpecSubmission(1, spec("rtmp://h/live/key-1"), ab), "token");
        String two = SubmissionDigest.of(new SpecSubmission(7, spec("rtmp://h/live/key-1"), ba), "token");
        assertThat(one).isEqualTo(two).hasSize(22);
    }

    @Test
    void aChangedSecretValueTokenOrKeyChangesTheDigest() {
        String base = SubmissionDigest.of(new SpecSubmission(1, spec("rtmp://h/live/key-1"), Map.of("a", A)), "token");
        assertThat(SubmissionDigest.of(new SpecSubmission(1, spec("rtmp://h/live/key-2"), Map.of("a", A)), "token"))
                .as("a rotated stream key").isNotEqualTo(base);
        assertThat(SubmissionDigest.of(new SpecSubmission(1, spec("rtmp://h/live/key-1"), Map.of("a", B)), "token"))
                .as("rotated upload keys").isNotEqualTo(base);
        assertThat(SubmissionDigest.of(new SpecSubmission(1, spec("rtmp://h/live/key-1"), Map.of("a", A)), "other-token"))
                .as("keyed by the task's token: not a plain hash of the key").isNotEqualTo(base);
    }
}
