package io.streammix.operator.worker;

/**
 * The worker answered {@code PUT /spec} with 422: it refused the spec (a rule it checks, or a seq going
 * back). Not a failure to retry: the worker keeps its running spec and records why in its report.
 */
public class SpecRefusedException extends WorkerUnreachableException {
    public SpecRefusedException(String message) {
        super(message);
    }
}
