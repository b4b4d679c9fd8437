/**
 * What one tick draws and mixes, as immutable values: {@link io.streammix.worker.engine.scene.MixPlan} (canvas,
 * background, watermark, each input's {@link io.streammix.worker.engine.scene.InputLayout} and volume), built from a
 * spec and swapped in whole between two ticks, and {@link io.streammix.worker.engine.scene.StillImages} (background,
 * watermark and still-image inputs, fetched within {@code MediaLimits}, decoded once and scaled to where they are drawn).
 *
 * <p>Threads: plans are built on the {@code control-api} thread that applies a spec and read by the clock and input
 * threads; images are fetched before the engine's lock is taken.
 */
package io.streammix.worker.engine.scene;
