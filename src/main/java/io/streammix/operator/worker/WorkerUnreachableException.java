package io.streammix.operator.worker;

/** The worker could not be asked (not started yet, gone, or refusing); the message is safe for status. */
public class WorkerUnreachableException extends Exception {
    public WorkerUnreachableException(String message) {
        super(message);
    }
}
