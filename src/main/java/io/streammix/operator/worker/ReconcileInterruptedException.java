package io.streammix.operator.worker;

/**
 * The reconcile thread was interrupted while it waited for a worker: the operator is stopping (a
 * rolling update, a lost leadership). Nothing was learnt about the worker, so the reconcile is
 * abandoned rather than finished: finishing it would write a status built on "no answer" (a running
 * task shown as Starting) that the next operator would then report as a transition.
 */
public class ReconcileInterruptedException extends RuntimeException {
    public ReconcileInterruptedException(InterruptedException cause) {
        super("interrupted while calling the worker; the operator is stopping", cause);
    }
}
