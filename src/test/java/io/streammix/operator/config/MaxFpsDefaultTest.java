package io.streammix.operator.config;

import io.streammix.startmix.embedded.StartMixServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One fps cap, one default: the vendor's 20. The operator's property, the chart's value, the README's table, the docs and
 * the embedded start-mix server state the same number (they said 60, 30 and 20 before).
 */
class MaxFpsDefaultTest {

    @Test
    void everyPlaceStatesTheSameDefault() throws Exception {
        int cap = OperatorConfig.DEFAULT_MAX_FPS;
        assertThat(cap).as("the vendor's documented default cap").isEqualTo(20);
        assertThat(new StartMixServer.Options("h", 0, 0, Path.of("o"), null, Map.of()).maxFps()).isEqualTo(cap);
        assertThat(Files.readAllLines(Path.of("src/main/resources/application.properties"))).contains("mixtask.max-fps=" + cap);
        assertThat(Files.readAllLines(Path.of("helm/mixtask-operator/values.yaml"))).contains("maxFps: " + cap);
        assertThat(Files.readString(Path.of("README.md"))).contains("| `maxFps` | `" + cap + "` |");
        assertThat(Files.readString(Path.of("docs/architecture.md"))).contains("| `mixtask.max-fps` | " + cap + " |");
        assertThat(Files.readString(Path.of("docs/start-mix-mapping.md"))).contains("fps cap (default " + cap + ",");
        assertThat(Files.readString(Path.of("docs/start-mix-api.md"))).contains("default " + cap + ", the vendor's");
    }
}
