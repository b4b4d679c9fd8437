package io.streammix.operator.sizing;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.WorkerOverrides;
import io.streammix.operator.testing.OperatorHarness;
import io.streammix.operator.testing.Tasks;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Requests and limits from the model: headroom, limit factors, round steps, the admin's bounds. */
class WorkerSizingTest {
    static WorkerSizing sizing(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return new WorkerSizing(OperatorHarness.config(m));
    }

    static long millis(ResourceRequirements r, boolean limit) {
        return Quantity.getAmountInBytes((limit ? r.getLimits() : r.getRequests()).get("cpu")).multiply(BigDecimal.valueOf(1000)).longValue();
    }

    static long mib(ResourceRequirements r, boolean limit) {
        return Quantity.getAmountInBytes((limit ? r.getLimits() : r.getRequests()).get("memory")).longValue() >> 20;
    }

    @Test
    void requestIsThePredictionWithHeadroomRoundedUpAndTheLimitAFactorAbove() {
        MixTaskSpec spec = Tasks.mixTask("ns", "t").getSpec();
        WorkerCostModel.Cost cost = WorkerCostModel.predict(spec);
        ResourceRequirements r = sizing().forSpec(spec);
        assertThat(millis(r, false)).isGreaterThanOrEqualTo((long) (cost.millicores() * 1.25))
                .isLessThan((long) (cost.millicores() * 1.25) + 50).matches(v -> v % 50 == 0, "a multiple of 50m");
        assertThat(mib(r, false)).isGreaterThanOrEqualTo((long) (cost.memoryMib() * 1.25)).matches(v -> v % 64 == 0, "a multiple of 64Mi");
        assertThat(millis(r, true)).as("a CPU limit never under min-cpu-limit (1 CPU)").isEqualTo(Math.max(1000, 2 * millis(r, false)));
        assertThat(mib(r, true)).isEqualTo(2 * mib(r, false));
        ResourceRequirements noFloor = sizing("mixtask.worker.sizing.min-cpu-limit", "0").forSpec(spec);
        assertThat(millis(noFloor, true)).isEqualTo(2 * millis(noFloor, false));
    }

    @Test
    void theCpuLimitFloorNeverPassesTheMaximum() {
        MixTaskSpec spec = Tasks.mixTask("ns", "t").getSpec();
        ResourceRequirements r = sizing("mixtask.worker.sizing.min-cpu-limit", "2", "mixtask.tenancy.max-cpu", "1500m").forSpec(spec);
        assertThat(millis(r, true)).isEqualTo(1500);
    }

    @Test
    void figuresStayWithinTheConfiguredBoundsAndUnderTheTenancyMaxima() {
        MixTaskSpec spec = Tasks.mixTask("ns", "t").getSpec();
        ResourceRequirements floor = sizing("mixtask.worker.sizing.min-cpu", "3", "mixtask.worker.sizing.min-memory", "2Gi").forSpec(spec);
        assertThat(floor.getRequests()).containsEntry("cpu", new Quantity("3")).containsEntry("memory", new Quantity("2048Mi"));
        assertThat(floor.getLimits()).as("limits capped by max (4, 4Gi)")
                .containsEntry("cpu", new Quantity("4")).containsEntry("memory", new Quantity("4096Mi"));
        ResourceRequirements capped = sizing("mixtask.worker.sizing.max-cpu", "8", "mixtask.tenancy.max-cpu", "200m",
                "mixtask.worker.sizing.min-cpu", "100m", "mixtask.tenancy.max-memory", "320Mi").forSpec(spec);
        assertThat(millis(capped, true)).isLessThanOrEqualTo(200);
        assertThat(mib(capped, true)).isLessThanOrEqualTo(320);
    }

    @Test
    void aTasksOwnResourcesOrSizingOffLeaveItToTheFixedFigures() {
        MixTask own = Tasks.mixTask("ns", "t");
        own.getSpec().worker = new WorkerOverrides();
        own.getSpec().worker.resources = new ResourceRequirementsBuilder().addToLimits("cpu", new Quantity("1")).build();
        assertThat(sizing().forTask(own)).isEmpty();
        assertThat(sizing("mixtask.worker.sizing.enabled", "false").forTask(Tasks.mixTask("ns", "t"))).isEmpty();
        assertThat(sizing().forTask(Tasks.mixTask("ns", "t"))).isPresent();
    }

    @Test
    void badBoundsNameTheSetting() {
        assertThatThrownBy(() -> sizing("mixtask.worker.sizing.min-cpu", "lots")).hasMessageContaining("mixtask.worker.sizing.min-cpu");
        assertThatThrownBy(() -> sizing("mixtask.worker.sizing.min-memory", "8Gi")).hasMessageContaining("mixtask.worker.sizing");
        assertThatThrownBy(() -> sizing("mixtask.worker.sizing.cpu-limit-factor", "0.5")).hasMessageContaining("cpu-limit-factor");
    }

    /** Requests may go under the tenancy minima (the model measured them); limits never do, whatever the factors. */
    @Test
    void limitsNeverGoUnderTheTenancyMinimaRequestsMay() {
        MixTaskSpec spec = Tasks.mixTask("ns", "t").getSpec();
        // A tenancy CPU minimum above what the model gives this spec (its figures move with each calibration).
        ResourceRequirements r = sizing("mixtask.worker.sizing.memory-limit-factor", "1", "mixtask.worker.sizing.min-cpu-limit", "0",
                "mixtask.worker.sizing.cpu-limit-factor", "1", "mixtask.tenancy.min-cpu", "1").forSpec(spec);
        assertThat(mib(r, false)).as("the sizing minimum, under the tenancy's 512Mi").isEqualTo(256);
        assertThat(millis(r, false)).as("the model's request, under the tenancy's 1 CPU").isLessThan(1000);
        assertThat(mib(r, true)).as("the tenancy minimum (512Mi) for the limit").isEqualTo(512);
        assertThat(millis(r, true)).as("the tenancy minimum (1 CPU) for the limit").isEqualTo(1000);
        ResourceRequirements raised = sizing("mixtask.tenancy.min-memory", "1Gi", "mixtask.tenancy.min-cpu", "2").forSpec(spec);
        assertThat(mib(raised, true)).isEqualTo(1024);
        assertThat(millis(raised, true)).isEqualTo(2000);
    }
}
