package io.streammix.api.v1alpha1;

/** What an input's rect shows once its input has been lost for longer than {@code onLoss.holdLastFrameMillis}. */
public enum LossDisplay {
    /** The canvas background (colour and image), as if the input had no rect. */
    Background,
    /** The placeholder picture {@code onLoss.image}, scaled into the rect by the input's renderMode. */
    Image
}
