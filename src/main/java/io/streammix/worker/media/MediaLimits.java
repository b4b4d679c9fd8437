package io.streammix.worker.media;

/**
 * What the worker decodes at most (issue 13, finding 4: a 790 KB PNG of 16000x16000 took a worker to 1.94 GB). Checked
 * before anything is decoded (file size, picture header, stream parameters) and again inside FFmpeg's decoders
 * ({@code max_pixels}), so a picture over the limit is refused without its pixels ever being allocated.
 */
public final class MediaLimits {
    private MediaLimits() {
    }

    /** Background, watermark and still-image inputs: 4096x4096 (a 4096x4096 RGBA frame is 64 MiB). */
    public static final long MAX_IMAGE_PIXELS = 4096L * 4096;
    /** Their encoded size, as the CRD says (5 MB). */
    public static final long MAX_IMAGE_BYTES = 5L * 1000 * 1000;
    /** Video inputs: 3840x2160 (4K UHD); a 7680x4320 stream is refused naming the input. */
    public static final long MAX_INPUT_PIXELS = 3840L * 2160;

    static String megapixels(long pixels) {
        return String.format(java.util.Locale.ROOT, "%.1f megapixels", pixels / 1e6);
    }
}
