/**
 * What one tick draws and mixes, as immutable values: {@link io.streammix.worker.engine.scene.MixPlan} (canvas,
 * background, watermark, each input's {@link io.streammix.worker.engine.scene.InputLayout} and volume), built from a
 * spec and swapped in whole between two ticks, and {@link io.streammix.worker.engine.scene.StillImages} (background,
 * watermark and still-image inputs, fetched within {@code MediaLimits}, decoded once and scaled to where they are drawn),
 * a cache bounded in bytes and entries that frees the least recently used pictures no plan holds (a plan holds its
 * pictures through a {@code StillImages.Hold} until the engine and the clock both let it go).
 * {@link io.streammix.worker.engine.scene.Scene} holds the engine's current plan, its plan revisions, and the mix time
 * of the first frame drawn with each update ({@code lastUpdate.appliedAt}). A watermark is prepared once, when loaded
 * ({@link io.streammix.worker.engine.scene.WatermarkBlend}), not blended per pixel per tick.
 *
 * <p>Threads: plans are built on the {@code control-api} thread that applies a spec (under the engine's lock), and on
 * the {@code image-loader} thread when an image comes in (also under that lock, never while decoding); they are read
 * by the clock and input threads. {@link io.streammix.worker.engine.scene.ImageLoader} fetches, decodes and scales
 * images on {@code image-loader} (one daemon thread per engine), never under the engine's lock; {@code apply} waits for
 * it at most {@code Scene.IMAGE_WAIT_MS} and {@code close} never.
 */
package io.streammix.worker.engine.scene;
