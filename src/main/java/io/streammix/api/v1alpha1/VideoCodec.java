package io.streammix.api.v1alpha1;

/** Video codec of an output (start-mix extra_params video_encode). */
public enum VideoCodec {
    H264, H265
}
