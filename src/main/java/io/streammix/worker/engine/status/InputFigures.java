package io.streammix.worker.engine.status;

/**
 * What one input has done so far, read for the metrics at a scrape. Counters count from the input's start (an
 * input restarted by a new source starts again from zero, which Prometheus reads as a counter reset).
 *
 * @param state        Connecting, Live or Lost
 * @param framesIn     pictures decoded
 * @param losses       times the input went Lost
 * @param lagSeconds   how far the mix clock is past the point where the input's newest media was due to arrive
 *                     (about one frame interval while it flows, growing while it stalls); NaN before any media
 * @param decodeErrors packets the decoder refused as corrupt (skipped; the next keyframe recovers)
 * @param dropped      pictures never drawn because a newer one was due by the same tick
 * @param repeated     ticks that drew the input's previous picture again because no new one was due
 * @param soundLevel   0..100, refreshed every 100 ms
 */
public record InputFigures(String name, String state, long framesIn, long losses, double lagSeconds, long decodeErrors,
                           long dropped, long repeated, int soundLevel) {
}
