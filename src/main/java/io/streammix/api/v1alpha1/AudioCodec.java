package io.streammix.api.v1alpha1;

/**
 * Audio codec of an output (start-mix audio_enc_id: 0 = HE_AAC, 1 = AAC_LC, 2 = MP3). OPUS has no start-mix
 * counterpart: it is for Ogg-Opus files (and plays in MKV, MP4, HLS and enhanced FLV).
 */
public enum AudioCodec {
    AAC_LC, HE_AAC, MP3, OPUS
}
