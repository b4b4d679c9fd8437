package io.streammix.operator.sizing;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.operator.config.OperatorConfig;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * A worker's requests and limits from its spec ({@link WorkerCostModel}): request = prediction x headroom, limit =
 * request x limit factor (a CPU limit never under min-cpu-limit, 1 CPU by default), rounded up to steps a person reads at a glance (CPU 50m, memory 64Mi) and kept within the
 * configured [min, max] ({@code mixtask.worker.sizing.*}) and under the tenancy maxima ({@code mixtask.tenancy.max-*}),
 * the most a task may ask for itself. Only for tasks without {@code spec.worker.resources}, and only with sizing on.
 *
 * <p>The two minima: requests follow {@code mixtask.worker.sizing.min-*} (100m, 256Mi), which may be below the tenancy
 * minima ({@code mixtask.tenancy.min-*}, 250m, 512Mi): a sized request is a measured figure, an author's a guess the
 * tenancy minimum guards, and a node packs small mixes by their requests. Limits, what a worker lives in, never go
 * under the tenancy minima: a sized worker gets at least the room an author may declare (with the default factors
 * they already do: 256Mi x 2, and min-cpu-limit 1 CPU).
 *
 * <p>Stateless; any thread.
 */
public final class WorkerSizing {
    static final long CPU_STEP_MILLIS = 50;
    static final long MEMORY_STEP_MIB = 64;
    private static final BigDecimal MIB = BigDecimal.valueOf(1024 * 1024);

    private final OperatorConfig.Sizing sizing;
    private final long minMillis;
    private final long minLimitMillis;
    private final long maxMillis;
    private final long minMib;
    private final long minLimitMib;
    private final long maxMib;

    public WorkerSizing(OperatorConfig config) {
        this.sizing = config.worker().sizing();
        this.minMillis = millis(sizing.minCpu(), "mixtask.worker.sizing.min-cpu");
        this.maxMillis = Math.min(millis(sizing.maxCpu(), "mixtask.worker.sizing.max-cpu"),
                millis(config.tenancy().maxCpu(), "mixtask.tenancy.max-cpu"));
        this.minLimitMillis = Math.max(millis(sizing.minCpuLimit(), "mixtask.worker.sizing.min-cpu-limit"),
                millis(config.tenancy().minCpu(), "mixtask.tenancy.min-cpu"));
        this.minMib = mib(sizing.minMemory(), "mixtask.worker.sizing.min-memory");
        this.minLimitMib = mib(config.tenancy().minMemory(), "mixtask.tenancy.min-memory");
        this.maxMib = Math.min(mib(sizing.maxMemory(), "mixtask.worker.sizing.max-memory"),
                mib(config.tenancy().maxMemory(), "mixtask.tenancy.max-memory"));
        if (minMillis > maxMillis || minMib > maxMib) {
            throw new IllegalStateException("mixtask.worker.sizing: min-cpu/min-memory must not exceed max-cpu/max-memory "
                    + "(nor the mixtask.tenancy maxima)");
        }
        if (sizing.cpuHeadroom() <= 0 || sizing.memoryHeadroom() <= 0 || sizing.cpuLimitFactor() < 1 || sizing.memoryLimitFactor() < 1) {
            throw new IllegalStateException("mixtask.worker.sizing: cpu-headroom and memory-headroom must be above 0, "
                    + "cpu-limit-factor and memory-limit-factor at least 1");
        }
    }

    /** The resources the operator sizes for this task; empty when it gives its own or sizing is off. */
    public Optional<ResourceRequirements> forTask(MixTask task) {
        MixTaskSpec spec = task.getSpec();
        if (!sizing.enabled() || spec == null || (spec.worker != null && spec.worker.resources != null)) {
            return Optional.empty();
        }
        return Optional.of(forSpec(spec));
    }

    /** Requests and limits for {@code spec}, whatever it says about its worker. */
    public ResourceRequirements forSpec(MixTaskSpec spec) {
        WorkerCostModel.Cost cost = WorkerCostModel.predict(spec);
        long cpuRequest = clamp(roundUp(cost.millicores() * sizing.cpuHeadroom(), CPU_STEP_MILLIS), minMillis, maxMillis);
        long cpuLimit = clamp(Math.max(roundUp(cpuRequest * sizing.cpuLimitFactor(), CPU_STEP_MILLIS), minLimitMillis),
                cpuRequest, maxMillis);
        long memRequest = clamp(roundUp(cost.memoryMib() * sizing.memoryHeadroom(), MEMORY_STEP_MIB), minMib, maxMib);
        long memLimit = clamp(Math.max(roundUp(memRequest * sizing.memoryLimitFactor(), MEMORY_STEP_MIB), minLimitMib), memRequest, maxMib);
        return new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", cpu(cpuRequest), "memory", new Quantity(memRequest + "Mi")))
                .withLimits(Map.of("cpu", cpu(cpuLimit), "memory", new Quantity(memLimit + "Mi")))
                .build();
    }

    /** Whole cores as such ("1", not "1000m"), as people write them. */
    private static Quantity cpu(long millis) {
        return millis % 1000 == 0 ? new Quantity(String.valueOf(millis / 1000)) : new Quantity(millis + "m");
    }

    private static long roundUp(double value, long step) {
        return Math.max(step, (long) Math.ceil(value / step) * step);
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }

    private static long millis(String quantity, String property) {
        return amount(quantity, property).multiply(BigDecimal.valueOf(1000)).longValue();
    }

    private static long mib(String quantity, String property) {
        return amount(quantity, property).divide(MIB, java.math.RoundingMode.FLOOR).longValue();
    }

    private static BigDecimal amount(String quantity, String property) {
        try {
            return Quantity.getAmountInBytes(new Quantity(quantity));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + ": not a Kubernetes quantity: " + quantity, e);
        }
    }
}
