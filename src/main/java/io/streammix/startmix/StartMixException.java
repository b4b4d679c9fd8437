package io.streammix.startmix;

/** A start-mix request that cannot be turned into a MixTask; the message names the vendor field. */
public class StartMixException extends RuntimeException {
    private final String field;

    public StartMixException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
