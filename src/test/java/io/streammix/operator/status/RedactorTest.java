package io.streammix.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.ValueFrom;
import io.streammix.operator.spec.ResolvedSpec;
import io.streammix.operator.testing.Tasks;
import io.streammix.worker.contract.SpecSubmission;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, finding 5: redaction by value, in every spelling a URL or a log may carry it, never by the look of the text.
 * A URL-encoded secret was only partly replaced (its long tokens were, the rest showed), and the name of a Secret-fed
 * file without a media extension went through while the operator did not hold the value.
 */
class RedactorTest {
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY";
    static final String PUSH = "rtmp://live.example.com/app/sk live=99812";

    private static MixTask task() {
        MixTask task = Tasks.mixTask("ns", "a");
        MixOutput push = new MixOutput();
        push.name = "push";
        push.urlFrom = new ValueFrom("keys", "push");
        task.getSpec().outputs = List.of(task.getSpec().outputs.get(0), push);
        return task;
    }

    private static Redactor known(MixTask task) {
        MixTaskSpec resolved = new ObjectMapper().convertValue(task.getSpec(), MixTaskSpec.class);
        resolved.outputs.get(1).url = PUSH;
        return Redactor.forTask(task, Optional.of(new ResolvedSpec(new SpecSubmission(1, resolved,
                Map.of("push", new SpecSubmission.S3Credentials("AKIAEXAMPLEKEY77", SECRET_KEY))), List.of())));
    }

    @Test
    void everyEncodingOfASecretValueIsReplacedWhole() {
        Redactor r = known(task());
        String pathEncoded = SECRET_KEY.replace("/", "%2F");
        String[] spellings = {SECRET_KEY, pathEncoded, SECRET_KEY.replace("/", "%2f"), URLEncoder.encode(SECRET_KEY, StandardCharsets.UTF_8),
                Base64.getEncoder().encodeToString(SECRET_KEY.getBytes(StandardCharsets.UTF_8)),
                Base64.getUrlEncoder().withoutPadding().encodeToString(SECRET_KEY.getBytes(StandardCharsets.UTF_8)),
                URLEncoder.encode(PUSH, StandardCharsets.UTF_8), PUSH.replace(" ", "%20"),
                Base64.getEncoder().encodeToString(PUSH.getBytes(StandardCharsets.UTF_8))};
        for (String s : spellings) {
            String out = r.values("signed with " + s + " at 12:00");
            assertThat(out).as(s).doesNotContain("K7MDENG").doesNotContain("bPxRfiCY").doesNotContain("99812")
                    .doesNotContain(s).startsWith("signed with <spec.outputs[").endsWith(" at 12:00");
        }
        assertThat(r.values("a plain sentence about rtmp and live streams"))
                .isEqualTo("a plain sentence about rtmp and live streams");
    }

    @Test
    void aSecretFedFileIsNotNamedEvenWithoutAKnownExtensionWhenTheValueIsUnknown() {
        Redactor r = Redactor.forTask(task(), Optional.empty());
        String reason = r.text("spec.outputs[1]", "file acme-q3-private-board: cannot open the destination: Permission denied");
        assertThat(reason).doesNotContain("acme-q3-private-board");
        assertThat(r.freeText("output push: acme-q3-private-board rotated")).doesNotContain("acme-q3-private-board");
    }
}
