package io.streammix.worker.engine.status;

import io.streammix.worker.contract.WorkerReport;

import java.util.List;

/** The state of the whole task in the worker's report, from its inputs' and outputs' states. */
public final class TaskState {
    private TaskState() {
    }

    /** Stopping while it stops; Failed when every output failed; Degraded when any input or output is not live. */
    public static String of(boolean stopping, List<WorkerReport.Input> inputs, List<WorkerReport.Output> outputs) {
        boolean degraded = inputs.stream().anyMatch(i -> !WorkerReport.Input.LIVE.equals(i.state()))
                || outputs.stream().anyMatch(o -> !WorkerReport.Output.LIVE.equals(o.state()));
        boolean failed = !outputs.isEmpty() && outputs.stream().allMatch(o -> WorkerReport.Output.FAILED.equals(o.state()));
        return stopping ? WorkerReport.STOPPING : failed ? WorkerReport.FAILED
                : degraded ? WorkerReport.DEGRADED : WorkerReport.RUNNING;
    }
}
