package io.streammix.api.v1alpha1;

/** When the userData SEI is attached to video frames. */
public enum SeiMode {
    /** With every keyframe, and with the first frame after userData changes. */
    KeyframesAndChanges,
    /** With every video frame. */
    EveryFrame
}
