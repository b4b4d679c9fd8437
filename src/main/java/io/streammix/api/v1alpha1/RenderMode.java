package io.streammix.api.v1alpha1;

/** How an input picture fills its rect (start-mix render_mode: 0 = Crop, 1 = Fit). */
public enum RenderMode {
    /** Keep the aspect ratio, fill the rect, crop what overflows. */
    Crop,
    /** Keep the aspect ratio, show the whole picture, pad with the background. */
    Fit
}
