package io.streammix.api.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/reference.md is generated from the model; it must be what the model generates now. */
class ReferenceDocIsCurrentTest {
    @Test
    void referenceIsCurrent() throws IOException {
        String generated = ReferenceDoc.generate();
        assertThat(generated).contains("`spec.inputs[].rect.left`", "| live |", "| worker restart |", "| output restart |");
        assertThat(Files.readString(ReferenceDoc.FILE))
                .as("docs/reference.md is stale: run `./mvnw -q compile exec:java@docs` and commit")
                .isEqualTo(generated);
    }
}
