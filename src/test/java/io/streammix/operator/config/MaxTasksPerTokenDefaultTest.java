package io.streammix.operator.config;

import io.streammix.startmix.embedded.StartMixServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cap of start-mix tasks per token (issue 21, finding 6): one default, stated the same by the operator's property,
 * the chart's value, the embedded server and the docs.
 */
class MaxTasksPerTokenDefaultTest {

    @Test
    void everyPlaceStatesTheSameDefault() throws Exception {
        int cap = OperatorConfig.DEFAULT_MAX_TASKS_PER_TOKEN;
        assertThat(cap).isEqualTo(20);
        assertThat(new StartMixServer.Options("h", 0, 0, Path.of("o"), null, Map.of()).maxTasksPerToken()).isEqualTo(cap);
        assertThat(Files.readAllLines(Path.of("src/main/resources/application.properties")))
                .contains("mixtask.start-mix.max-tasks-per-token=" + cap);
        assertThat(Files.readAllLines(Path.of("helm/mixtask-operator/values.yaml"))).contains("  maxTasksPerToken: " + cap);
        assertThat(Files.readString(Path.of("README.md"))).contains("| `startMixApi.maxTasksPerToken` | `" + cap + "` |");
        assertThat(Files.readString(Path.of("docs/start-mix-api.md"))).contains("`--max-tasks-per-token " + cap + "`")
                .contains("at most " + cap + " tasks at once");
    }
}
