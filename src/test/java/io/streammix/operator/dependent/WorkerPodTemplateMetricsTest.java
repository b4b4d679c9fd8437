package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import io.streammix.worker.metrics.MetricsServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker pod exposes its metrics port by name and tells the worker which task its series belong to. */
class WorkerPodTemplateMetricsTest {

    @Test
    void metricsPortIsNamedAndTheWorkerIsToldItsPortNamespaceAndTask() {
        MixTask task = Tasks.mixTask("media-a", "show");
        Container c = new WorkerPodTemplate(OperatorHarness.config(Map.of())).build(task).getSpec().getContainers().get(0);
        assertThat(c.getPorts()).filteredOn(p -> p.getName().equals("metrics")).singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(MetricsServer.DEFAULT_PORT));
        assertThat(c.getEnv()).extracting(EnvVar::getName, EnvVar::getValue).contains(
                org.assertj.core.groups.Tuple.tuple(MetricsServer.ENV_PORT, "9102"),
                org.assertj.core.groups.Tuple.tuple(MetricsServer.ENV_NAMESPACE, "media-a"),
                org.assertj.core.groups.Tuple.tuple(MetricsServer.ENV_TASK, "show"));
    }

    @Test
    void theMetricsPortIsConfigurable() {
        Container c = new WorkerPodTemplate(OperatorHarness.config(Map.of("mixtask.worker.metrics-port", "9300")))
                .build(Tasks.mixTask("ns", "t")).getSpec().getContainers().get(0);
        assertThat(c.getPorts()).filteredOn(p -> p.getName().equals("metrics")).extracting(ContainerPort::getContainerPort)
                .containsExactly(9300);
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals(MetricsServer.ENV_PORT)).extracting(EnvVar::getValue)
                .containsExactly("9300");
    }

    /** The memory settings WorkerMemoryBenchmark measured: two malloc arenas, and the JVM options of the config. */
    @Test
    void theWorkerGetsTwoMallocArenasAndTheConfiguredJavaOptions() {
        Container c = new WorkerPodTemplate(OperatorHarness.config(Map.of())).build(Tasks.mixTask("ns", "t")).getSpec()
                .getContainers().get(0);
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("MALLOC_ARENA_MAX")).extracting(EnvVar::getValue)
                .containsExactly("2");
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).extracting(EnvVar::getValue)
                .singleElement().asString().startsWith(io.streammix.operator.config.OperatorConfig.Worker.DEFAULT_JAVA_OPTIONS + " ")
                .contains("-XX:+UseSerialGC", "-Djava.io.tmpdir=/scratch");

        Container custom = new WorkerPodTemplate(OperatorHarness.config(Map.of("mixtask.worker.java-options", "-Xmx100m")))
                .build(Tasks.mixTask("ns", "t")).getSpec().getContainers().get(0);
        assertThat(custom.getEnv()).filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).extracting(EnvVar::getValue)
                .containsExactly("-Xmx100m -Djava.io.tmpdir=/scratch");
    }
}
