package io.streammix.worker.engine.scene;

import io.streammix.api.v1alpha1.Content;
import io.streammix.api.v1alpha1.LossDisplay;
import io.streammix.api.v1alpha1.LossPolicy;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.api.validation.SpecValidator;
import io.streammix.worker.media.Frames;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything the output clock needs to draw and mix one tick, as an immutable value. A spec change builds a
 * new plan and swaps it in atomically, so layout, background, volume and content change between two output
 * frames, never in the middle of one.
 *
 * @param background       background picture (canvas size, colour and image already drawn); owned by the engine's
 *                         image cache, valid for the engine's lifetime
 * @param inputs           all inputs by name
 * @param drawOrder        inputs with a picture, bottom first (layer, then list order)
 * @param watermark        null when there is none
 */
public record MixPlan(int width, int height, int fps, Frames.Yuv backgroundColor, StillImages.Picture background,
                      Map<String, InputLayout> inputs, List<InputLayout> drawOrder, Watermark watermark) {

    public boolean hasVideo() {
        return width > 0;
    }

    public InputLayout input(String name) {
        return inputs.get(name);
    }

    /** A watermark: its rect and the YUVA picture blended on top of everything. */
    public record Watermark(int left, int top, StillImages.Picture picture) {
    }

    /**
     * @param images decodes and scales background and watermark images (cached by URL and size)
     */
    public static MixPlan of(MixTaskSpec spec, StillImages images) {
        VideoEncoding canvas = SpecValidator.canvasOf(spec);
        int w = canvas == null ? 0 : (canvas.width + 1) & ~1;
        int h = canvas == null ? 0 : (canvas.height + 1) & ~1;
        int fps = canvas == null ? 0 : canvas.fps;
        List<InputLayout> layouts = new ArrayList<>();
        for (int i = 0; i < spec.inputs.size(); i++) {
            MixInput in = spec.inputs.get(i);
            Rect r = in.rect;
            int left = Math.min(r.left & ~1, Math.max(0, w - 2));
            int top = Math.min(r.top & ~1, Math.max(0, h - 2));
            int right = Math.min((r.right + 1) & ~1, w);
            int bottom = Math.min((r.bottom + 1) & ~1, h);
            InputLayout l = new InputLayout(in.displayName(i), left, top, Math.max(2, right - left), Math.max(2, bottom - top),
                    r.layerOrDefault(), in.renderModeOrDefault(), in.contentOrDefault(), in.volumeOrDefault(),
                    in.soundLevelId == null ? i : in.soundLevelId);
            LossPolicy loss = in.onLossOrDefault();
            InputLayout.Placeholder placeholder = w > 0 && loss.thenOrDefault() == LossDisplay.Image && loss.image != null
                    && l.content() != Content.AudioOnly ? images.placeholder(loss.image, l) : null;
            layouts.add(new InputLayout(l.name(), l.left(), l.top(), l.width(), l.height(), l.layer(), l.renderMode(), l.content(),
                    l.volume(), l.soundLevelId(), loss.holdOrDefault() / 1000.0, placeholder));
        }
        // Stable sort: equal layers keep list order.
        List<InputLayout> order = layouts.stream()
                .filter(l -> l.content() != Content.AudioOnly && w > 0)
                .sorted(Comparator.comparingInt(InputLayout::layer))
                .toList();
        Frames.Yuv color = Frames.Yuv.ofHex(spec.background == null ? null : spec.background.color);
        StillImages.Picture bg = null;
        Watermark wm = null;
        if (w > 0) {
            String bgImage = spec.background == null ? null : spec.background.image;
            bg = images.background(bgImage, color, w, h);
            if (spec.watermark != null && spec.watermark.image != null && spec.watermark.rect != null) {
                Rect r = spec.watermark.rect;
                StillImages.Picture p = images.watermark(spec.watermark.image, r.width(), r.height());
                if (p != null) {
                    wm = new Watermark(r.left, r.top, p);
                }
            }
        }
        Map<String, InputLayout> byName = layouts.stream()
                .collect(Collectors.toMap(InputLayout::name, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
        return new MixPlan(w, h, fps, color, bg, byName, order, wm);
    }
}
