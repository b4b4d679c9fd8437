package io.streammix.worker.engine.scene;

import io.streammix.worker.EngineRun;
import io.streammix.worker.media.Frames;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/**
 * The image cache is bounded: past its bytes it frees the least recently used pictures no plan holds, and never one
 * a plan holds (a plan holds its pictures until the engine and the clock have both let it go).
 */
class StillImagesTest {
    /** 320x240 YUV420P: 115,200 bytes. */
    private static final long PICTURE = 320 * 240 * 3 / 2;

    private static void add(StillImages images, String key) {
        images.put(key, Frames.video(320, 240, AV_PIX_FMT_YUV420P), null);
    }

    @Test
    void evictsTheLeastRecentlyUsedPicturesNoPlanHolds() {
        EngineRun.prepare();
        try (StillImages images = new StillImages(3 * PICTURE, 100)) {
            add(images, "a");
            add(images, "b");
            add(images, "c");
            assertThat(images.bytes()).isEqualTo(3 * PICTURE);
            // "a" used again: "b" becomes the least recently used
            StillImages.Hold plan = new StillImages.Hold(images);
            plan.add(images.take("a"));
            plan.release();
            add(images, "d");
            assertThat(images.contains("b")).as("least recently used, no plan: freed").isFalse();
            assertThat(images.contains("a")).isTrue();
            assertThat(images.contains("c")).isTrue();
            assertThat(images.contains("d")).isTrue();
            assertThat(images.bytes()).isEqualTo(3 * PICTURE);
        }
    }

    @Test
    void neverFreesAPictureAPlanHolds() {
        EngineRun.prepare();
        try (StillImages images = new StillImages(2 * PICTURE, 100)) {
            add(images, "held");
            StillImages.Hold plan = new StillImages.Hold(images);
            StillImages.Picture held = plan.add(images.take("held"));
            // the clock holds the plan too, then the engine replaces it: the clock still draws with it
            assertThat(plan.tryAcquire()).isTrue();
            plan.release();
            for (int i = 0; i < 5; i++) {
                add(images, "other" + i);
            }
            assertThat(images.contains("held")).as("held by a plan the clock draws with").isTrue();
            assertThat(images.size()).as("the others were evicted down to the bound").isEqualTo(2);
            assertThatCode(() -> images.retain(held)).doesNotThrowAnyException();
            images.release(java.util.List.of(held)); // the retain above
            // the clock moves on: the plan is gone and its picture may go as the cache needs room
            plan.release();
            assertThat(plan.tryAcquire()).as("a released plan cannot be held again").isFalse();
            add(images, "new");
            assertThat(images.contains("held")).isFalse();
            assertThat(images.bytes()).isLessThanOrEqualTo(2 * PICTURE);
        }
    }

    @Test
    void boundedByEntriesToo() {
        EngineRun.prepare();
        try (StillImages images = new StillImages(Long.MAX_VALUE, 4)) {
            for (int i = 0; i < 10; i++) {
                add(images, "k" + i);
            }
            assertThat(images.size()).isEqualTo(4);
            assertThat(images.contains("k9")).isTrue();
            assertThat(images.contains("k0")).isFalse();
        }
    }
}
