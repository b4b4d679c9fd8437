package io.streammix.operator.sizing;

import io.fabric8.kubernetes.api.model.Quantity;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.operator.config.OperatorConfig;

import java.util.regex.Pattern;

/**
 * The worker JVM's heap ceiling from its container's memory limit, so that heap and everything else fit under it: the
 * mix lives in FFmpeg's native memory, which {@link WorkerCostModel} predicts (its peak RSS, JVM included), so the
 * heap gets what the limit leaves once that prediction, with the request's own headroom, is set aside; never less than
 * {@link #FLOOR_MIB}. A percentage of the limit ({@code -XX:MaxRAMPercentage=60}, the former default) let the heap
 * grow into the room the native part needs whenever the model's figure was below the truth.
 *
 * <p>JavaCPP sizes its own checks from the heap ceiling (it refuses tracked native allocations above {@code maxBytes}
 * = the heap ceiling, and above 4 x that of RSS, {@code maxPhysicalBytes}): with a small heap they would refuse a
 * large mix's frames, so they are set from the limit instead: tracked native memory up to the native part, RSS up to
 * the limit (the kernel's cgroup enforces it anyway).
 *
 * <p>Options that already size the heap (the admin's {@code mixtask.worker.java-options}: -Xmx, -Xms,
 * MaxRAMPercentage, ...) are kept as they are and nothing is added: an -Xmx of ours under their -Xms would stop the
 * JVM from starting. Stateless; any thread.
 */
public final class WorkerHeap {
    /** The least heap ceiling: the worker's live heap is a few MiB (WorkerMemoryBenchmark's class histogram). */
    public static final long FLOOR_MIB = 64;
    private static final long MIB = 1024 * 1024;
    private static final long ALIGN_MIB = 4;
    private static final Pattern HEAP_SIZED = Pattern.compile("(^|\\s)(-Xm[xs]\\S|-XX:(MaxHeapSize|InitialHeapSize|MinHeapSize"
            + "|MaxRAM|MaxRAMPercentage|MaxRAMFraction|InitialRAMPercentage|MinRAMPercentage)=)");

    private final double headroom;

    public WorkerHeap(OperatorConfig config) {
        this.headroom = config.worker().sizing().memoryHeadroom();
    }

    /**
     * JAVA_TOOL_OPTIONS of a worker running {@code spec} under {@code memoryLimit}: {@code configured} plus its heap
     * ceiling and JavaCPP's limits, or {@code configured} alone when it sizes the heap itself or there is no limit.
     */
    public String javaOptions(String configured, MixTaskSpec spec, Quantity memoryLimit) {
        if (memoryLimit == null || HEAP_SIZED.matcher(configured).find()) {
            return configured;
        }
        long limitMib = Quantity.getAmountInBytes(memoryLimit).longValue() / MIB;
        long heapMib = ceilingMib(limitMib, WorkerCostModel.predict(spec).memoryMib());
        long nativeMib = Math.max(limitMib - heapMib, 0);
        return (configured + " -Xmx" + heapMib + "m -Dorg.bytedeco.javacpp.maxBytes=" + nativeMib * MIB
                + " -Dorg.bytedeco.javacpp.maxPhysicalBytes=" + limitMib * MIB).strip();
    }

    /**
     * What the limit leaves after the predicted peak RSS with headroom, at least {@link #FLOOR_MIB}; rounded down to
     * {@value #ALIGN_MIB} MiB, as the JVM rounds an -Xmx up to its heap alignment (-Xmx513m gave a 514 MiB heap).
     */
    long ceilingMib(long limitMib, double predictedMib) {
        return Math.max(FLOOR_MIB, (limitMib - (long) Math.ceil(predictedMib * headroom)) / ALIGN_MIB * ALIGN_MIB);
    }
}
