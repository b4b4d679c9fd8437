package io.streammix.operator.sizing;

import io.fabric8.kubernetes.api.model.Quantity;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's heap ceiling leaves its limit the predicted native part, and a real JVM started with the options gets
 * that heap and JavaCPP limits that follow the pod's limit, not the heap.
 */
class WorkerHeapTest {
    static final WorkerHeap HEAP = new WorkerHeap(OperatorHarness.config(Map.of()));
    static final String DEFAULT = OperatorConfig.Worker.DEFAULT_JAVA_OPTIONS;

    static MixTaskSpec hd() {
        MixTaskSpec spec = Tasks.mixTask("ns", "t").getSpec();
        spec.outputs.get(0).video.width = 1920;
        spec.outputs.get(0).video.height = 1080;
        return spec;
    }

    static long xmxMib(String options) {
        return Arrays.stream(options.split(" ")).filter(o -> o.startsWith("-Xmx")).mapToLong(o -> Long.parseLong(o.substring(4, o.length() - 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no -Xmx in " + options));
    }

    @Test
    void theHeapGetsWhatTheLimitLeavesAfterThePredictionWithHeadroom() {
        MixTaskSpec spec = hd();
        double reserved = WorkerCostModel.predict(spec).memoryMib() * 1.25;
        String options = HEAP.javaOptions(DEFAULT, spec, new Quantity("1Gi"));
        assertThat(options).startsWith(DEFAULT + " -Xmx");
        assertThat(xmxMib(options)).as("rounded down to 4 MiB").isEqualTo((1024 - (long) Math.ceil(reserved)) / 4 * 4);
        assertThat(xmxMib(options) + reserved).as("heap + predicted native part with headroom fit the limit").isLessThanOrEqualTo(1024);
        assertThat(xmxMib(HEAP.javaOptions(DEFAULT, Tasks.mixTask("ns", "t").getSpec(), new Quantity("1Gi"))))
                .as("a cheaper mix leaves more of the same limit to the heap").isGreaterThan(xmxMib(options));
    }

    @Test
    void aLimitTooSmallForThePredictionStillGetsTheFloor() {
        assertThat(xmxMib(HEAP.javaOptions(DEFAULT, hd(), new Quantity("256Mi")))).isEqualTo(WorkerHeap.FLOOR_MIB);
    }

    @Test
    void optionsThatSizeTheHeapThemselvesAreKeptAsTheyAre() {
        for (String own : List.of("-Xmx100m", "-Xms300m -XX:+UseSerialGC", "-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError",
                "-XX:MaxRAM=1g", "-XX:MaxHeapSize=200m", "-XX:InitialRAMPercentage=10")) {
            assertThat(HEAP.javaOptions(own, hd(), new Quantity("1Gi"))).isEqualTo(own);
        }
        assertThat(HEAP.javaOptions(DEFAULT, hd(), null)).as("no limit: nothing to fit under").isEqualTo(DEFAULT);
        assertThat(DEFAULT).as("the young generation (-Xmn) is not the heap's ceiling").contains("-Xmn2m");
    }

    /** The options on a real JVM: it starts, its heap is the ceiling, JavaCPP's limits are the native part and the limit. */
    @Test
    void aJvmStartedWithThemHasThatHeapAndJavaCppFollowsTheLimit() throws Exception {
        String options = HEAP.javaOptions(DEFAULT, hd(), new Quantity("768Mi"));
        long heapMib = xmxMib(options);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Arrays.asList(options.split(" ")));
        cmd.addAll(List.of("-XX:MaxRAM=768m", "-cp", System.getProperty("java.class.path"), PrintLimits.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.exitValue()).as(out).isZero();
        String[] f = out.lines().reduce((a, b) -> b).orElseThrow().split(" ");
        long mib = 1024 * 1024;
        // SerialGC reports the heap less one survivor space: within the 2 MB young generation of the ceiling.
        assertThat(Long.parseLong(f[0])).isBetween((heapMib - 2) * mib, heapMib * mib);
        assertThat(Long.parseLong(f[1])).as("JavaCPP maxBytes: the limit less the heap").isEqualTo((768 - heapMib) * mib);
        assertThat(Long.parseLong(f[2])).as("JavaCPP maxPhysicalBytes: the limit").isEqualTo(768 * mib);
    }

    /** Prints the JVM's heap ceiling and JavaCPP's two limits on one line. */
    public static final class PrintLimits {
        public static void main(String[] args) {
            System.out.println(Runtime.getRuntime().maxMemory() + " " + org.bytedeco.javacpp.Pointer.maxBytes() + " "
                    + org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
        }
    }
}
