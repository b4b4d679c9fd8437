package io.streammix.startmix;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Section 3's body as the document prints it (comments, '' strings, two missing commas, a trailing comma) is read as
 * the request it annotates; a body that is broken in another way is still refused, naming the place.
 */
class StartMixBodyTest {

    @Test
    void theDocumentsAnnotatedExampleReadsAsTheRequestItAnnotates() throws Exception {
        byte[] verbatim = resource("seed-section3-verbatim.txt");
        assertThatThrownBy(() -> new ObjectMapper().readTree(verbatim)).as("not JSON as printed").isInstanceOf(IOException.class);
        StartMixBody.Parsed parsed = StartMixBody.parse(verbatim);
        assertThat(parsed.lenient()).isTrue();
        assertThat(parsed.request()).as("the same request as the hand-cleaned JSON")
                .isEqualTo(StartMixBody.parse(resource("seed-section3.json")).request());
        assertThat(StartMixBody.parse(resource("seed-php.json")).lenient()).as("JSON stays strict").isFalse();
    }

    @Test
    void otherBrokenBodiesAreStillRefused() {
        assertThatThrownBy(() -> StartMixBody.parse("{\"task_id\": ".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("request body: not valid JSON (Unexpected end-of-input");
        assertThatThrownBy(() -> StartMixBody.parse("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> StartMixBody.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("request body: must be a JSON object");
        assertThatThrownBy(() -> StartMixBody.parse("{'a': 'unterminated}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("request body: not valid JSON");
    }

    static byte[] resource(String name) throws IOException {
        return StartMixBodyTest.class.getResourceAsStream(name).readAllBytes();
    }
}
