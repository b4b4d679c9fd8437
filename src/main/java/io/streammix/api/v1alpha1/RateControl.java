package io.streammix.api.v1alpha1;

/** Video rate control (start-mix encode_mode: 0 = CBR, 1 = CRF). */
public enum RateControl {
    CBR, CRF
}
