package io.streammix.operator.spec;

/** A spec the operator cannot run; the message names the field and never contains a secret. */
public class InvalidSpecException extends Exception {
    private final String field;

    public InvalidSpecException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
