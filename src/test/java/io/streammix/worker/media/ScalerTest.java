package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_PAL8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;

/** Packed pictures (what PNG stills and test sources give) scale and crop to the right colours. */
class ScalerTest {
    /** BT.601 limited-range Y, U, V of pure red and pure blue. */
    static final int[] RED = {81, 90, 240};
    static final int[] BLUE = {41, 240, 110};

    /** A picture allocated as tightly as FFmpeg allows (no line alignment): left half red, right half blue. */
    static AVFrame halves(int w, int h, int format) {
        AVFrame f = av_frame_alloc();
        f.width(w).height(h).format(format);
        Av.check(av_frame_get_buffer(f, 1), "alloc");
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean red = x < w / 2;
                long at = (long) y * f.linesize(0);
                switch (format) {
                    case AV_PIX_FMT_RGB24 -> {
                        f.data(0).put(at + 3L * x, (byte) (red ? 255 : 0));
                        f.data(0).put(at + 3L * x + 1, (byte) 0);
                        f.data(0).put(at + 3L * x + 2, (byte) (red ? 0 : 255));
                    }
                    case AV_PIX_FMT_BGRA -> {
                        f.data(0).put(at + 4L * x, (byte) (red ? 0 : 255));
                        f.data(0).put(at + 4L * x + 1, (byte) 0);
                        f.data(0).put(at + 4L * x + 2, (byte) (red ? 255 : 0));
                        f.data(0).put(at + 4L * x + 3, (byte) 255);
                    }
                    case AV_PIX_FMT_PAL8 -> f.data(0).put(at + x, (byte) (red ? 1 : 2));
                    default -> throw new IllegalArgumentException();
                }
            }
        }
        if (format == AV_PIX_FMT_PAL8) {
            // Palette entries are native-endian 0xAARRGGBB.
            org.bytedeco.javacpp.IntPointer palette = new org.bytedeco.javacpp.IntPointer(f.data(1));
            palette.put(1, 0xFFFF0000).put(2, 0xFF0000FF);
        }
        return f;
    }

    static int[] yuvAt(AVFrame f, int x, int y) {
        return new int[]{
                f.data(0).get((long) y * f.linesize(0) + x) & 0xff,
                f.data(1).get((long) (y / 2) * f.linesize(1) + x / 2) & 0xff,
                f.data(2).get((long) (y / 2) * f.linesize(2) + x / 2) & 0xff};
    }

    static void assertColour(int[] yuv, int[] expected, String what) {
        for (int c = 0; c < 3; c++) {
            assertThat(yuv[c]).as(what + " component " + c).isCloseTo(expected[c], within(4));
        }
    }

    @Test
    void packedFormatsAreCopiedAndPlanarYuvIsNot() {
        assertThat(Scaler.packed(AV_PIX_FMT_RGB24)).isTrue();
        assertThat(Scaler.packed(AV_PIX_FMT_BGRA)).isTrue();
        assertThat(Scaler.packed(AV_PIX_FMT_PAL8)).isTrue();
        assertThat(Scaler.packed(AV_PIX_FMT_YUV420P)).isFalse();
    }

    @Test
    void packedPicturesScaleAndCropToTheRightColours() {
        try (Scaler scaler = new Scaler()) {
            for (int format : new int[]{AV_PIX_FMT_RGB24, AV_PIX_FMT_BGRA, AV_PIX_FMT_PAL8}) {
                // Odd sizes, tight lines: the last line ends where the buffer does.
                AVFrame src = halves(333, 187, format);
                AVFrame whole = Frames.video(160, 90, AV_PIX_FMT_YUV420P);
                AVFrame right = Frames.video(64, 36, AV_PIX_FMT_YUV420P);
                try {
                    AVFrame ref = av_frame_clone(src);
                    scaler.scale(ref, whole);
                    Frames.free(ref);
                    assertColour(yuvAt(whole, 10, 45), RED, "format " + format + " left");
                    assertColour(yuvAt(whole, 150, 45), BLUE, "format " + format + " right");

                    // The right 100 columns, bottom 50 lines: all blue, and it reads the buffer's last bytes.
                    ref = av_frame_clone(src);
                    scaler.scale(ref, 233, 137, 100, 50, right);
                    Frames.free(ref);
                    assertColour(yuvAt(right, 0, 0), BLUE, "format " + format + " crop, first pixel");
                    assertColour(yuvAt(right, 63, 35), BLUE, "format " + format + " crop, last pixel");
                } finally {
                    Frames.free(src);
                    Frames.free(whole);
                    Frames.free(right);
                }
            }
        }
    }

    @Test
    void theCopyFollowsChangingSourceSizes() {
        try (Scaler scaler = new Scaler()) {
            AVFrame dst = Frames.video(32, 18, AV_PIX_FMT_YUV420P);
            try {
                for (int w = 17; w < 400; w += 37) {
                    AVFrame src = halves(w, w / 2 + 3, AV_PIX_FMT_RGB24);
                    try {
                        scaler.scale(src, dst);
                    } finally {
                        Frames.free(src);
                    }
                    assertColour(yuvAt(dst, 2, 9), RED, "width " + w + " left");
                    assertColour(yuvAt(dst, 30, 9), BLUE, "width " + w + " right");
                }
            } finally {
                Frames.free(dst);
            }
        }
    }
}
