package io.streammix.worker.media;

/** A failed FFmpeg call, with FFmpeg's own words for the error. Messages never carry URLs: callers pass redacted names. */
public class MediaException extends RuntimeException {
    private final int code;

    public MediaException(String message) {
        this(message, 0);
    }

    public MediaException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The negative AVERROR code, 0 when the failure did not come from an FFmpeg return value. */
    public int code() {
        return code;
    }
}
