package io.streammix.local;

/** Entry point of the local run. Placeholder until the mixer engine lands. */
public final class LocalRun {
    private LocalRun() {
    }

    public static void main(String[] args) throws Exception {
        throw new UnsupportedOperationException("local run not implemented yet");
    }
}
