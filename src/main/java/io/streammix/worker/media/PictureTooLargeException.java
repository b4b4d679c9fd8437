package io.streammix.worker.media;

/** A picture or stream over {@link MediaLimits}: refused before its pixels were allocated. */
public final class PictureTooLargeException extends MediaException {
    public PictureTooLargeException(String message) {
        super(message);
    }
}
