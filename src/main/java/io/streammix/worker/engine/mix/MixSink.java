package io.streammix.worker.engine.mix;

/**
 * Where the output clock hands each tick's canvas and each mixed audio chunk: an output (encoder and its sinks). Both
 * calls are made on the clock thread and must return at once: an implementation queues, or drops when it is behind.
 */
public interface MixSink {
    /**
     * Takes its own reference to the canvas of its size ({@link Canvases#forSize}: the clock frees its own after the
     * call); {@code time} on the mix timeline.
     */
    void offerVideo(Canvases canvases, double time);

    /** {@code frames} 48 kHz stereo samples starting at sample {@code pos}; the array is not reused by the clock. */
    void offerAudio(short[] samples, long pos, int frames);
}
