package io.streammix.api;

/**
 * What it costs to apply a change of one spec field to a running mix task, from least to most
 * disruptive. The order matters: a change of several fields costs the most disruptive class among them.
 */
public enum ChangeClass {
    /** Applied inside the running worker between two output frames; no output is touched. */
    LIVE("live"),
    /** Only the encoder (and, if it must, the connection) of the output concerned is reopened. */
    OUTPUT_RESTART("output restart"),
    /** The worker pod is replaced (never two workers publishing at once). */
    WORKER_RESTART("worker restart");

    private final String label;

    ChangeClass(String label) {
        this.label = label;
    }

    /** The words used in CRD descriptions, Events and docs, e.g. {@code inputs[1].rect: live}. */
    public String label() {
        return label;
    }

    public ChangeClass max(ChangeClass other) {
        return other == null || compareTo(other) >= 0 ? this : other;
    }
}
