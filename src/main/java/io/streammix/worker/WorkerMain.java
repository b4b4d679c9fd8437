package io.streammix.worker;

/** Entry point of the worker role. Placeholder until the mixer engine lands. */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        throw new UnsupportedOperationException("worker role not implemented yet");
    }
}
