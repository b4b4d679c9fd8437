package io.streammix.api.crd;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed CRD (and the Helm chart's copy) must be what the Java model generates now. */
class CrdIsCurrentTest {
    private static final String HOW = "crds/ is stale: regenerate with `./mvnw -q compile exec:java@crd` and commit";

    @Test
    void committedCrdMatchesTheModel() throws IOException {
        assertThat(Files.readString(CrdGenerator.COMMITTED)).as(HOW).isEqualTo(CrdGenerator.generate());
    }

    @Test
    void helmChartCarriesTheSameCrd() throws IOException {
        if (Files.isDirectory(CrdGenerator.CHART_COPY.getParent().getParent())) {
            assertThat(Files.readString(CrdGenerator.CHART_COPY)).as(HOW).isEqualTo(Files.readString(CrdGenerator.COMMITTED));
        }
    }
}
