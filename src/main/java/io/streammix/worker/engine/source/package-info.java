/**
 * What a spec URL is and how FFmpeg opens it, for inputs, still images and outputs alike: {@link
 * io.streammix.worker.engine.source.InputSource} (the URL as FFmpeg wants it, forced format, protocol options and
 * timeouts per scheme, network or file, and {@code safe} names without keys for logs and status) and {@link
 * io.streammix.worker.engine.source.SyntheticSource} ({@code synthetic:} sources turned into a lavfi graph from parsed
 * parameters only: a user string never reaches the filter graph parser). Plain values, no threads of their own.
 */
package io.streammix.worker.engine.source;
