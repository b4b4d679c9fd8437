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
 * @param background       background picture (canvas size, colour or image already drawn), held by {@code hold}
 * @param inputs           all inputs by name
 * @param drawOrder        inputs with a picture, bottom first (layer, then list order)
 * @param watermark        null when there is none
 * @param generation       the spec generation it was built from
 * @param revision         increases with every plan the engine builds (an image coming in builds one for the same
 *                         generation): the clock reports the first tick drawn with each
 * @param hold             the cached pictures this plan draws, kept from being freed while it is in use
 * @param rungs            the other, smaller, output sizes (a ladder): see {@link Rung}
 */
public record MixPlan(int width, int height, int fps, Frames.Yuv backgroundColor, StillImages.Picture background,
                      Map<String, InputLayout> inputs, List<InputLayout> drawOrder, Watermark watermark,
                      long generation, long revision, StillImages.Hold hold, List<Rung> rungs) {

    public boolean hasVideo() {
        return width > 0;
    }

    public InputLayout input(String name) {
        return inputs.get(name);
    }

    /**
     * An output size smaller than the canvas. The clock may draw a canvas of this size straight from the inputs'
     * pictures made for it (each input scaled once from its source to its rect on this rung) rather than the output
     * scaling the whole canvas down: less work (a source the size of its rect on the rung is not scaled at all) and one
     * resampling instead of two. Only for a colour background and no watermark (see {@code RungCanvases}).
     */
    public record Rung(int width, int height) {
        /** {@code v} on the canvas axis of length {@code canvas}, on this rung's axis of length {@code rung}: even. */
        public static int map(int v, int canvas, int rung) {
            return Math.min(rung, (int) Math.round(v * (double) rung / canvas) & ~1);
        }

        /** {@code l}'s rect on this rung of a {@code canvasW x canvasH} canvas; edges that meet on the canvas meet here. */
        public InputLayout layout(InputLayout l, int canvasW, int canvasH) {
            int left = map(l.left(), canvasW, width);
            int top = map(l.top(), canvasH, height);
            int right = map(l.left() + l.width(), canvasW, width);
            int bottom = map(l.top() + l.height(), canvasH, height);
            return new InputLayout(l.name(), left, top, Math.max(2, right - left), Math.max(2, bottom - top), l.layer(),
                    l.renderMode(), l.content(), l.volume(), l.soundLevelId(), l.holdSeconds(), null);
        }
    }

    /** Whether a rung canvas may be drawn from the inputs: a plain colour background, no watermark. */
    public boolean drawsRungs() {
        return !rungs.isEmpty() && watermark == null && (background == null || background.colour());
    }

    /** The distinct video sizes of the outputs smaller than the canvas ({@code w x h}), even as the encoders round them. */
    static List<Rung> rungsOf(MixTaskSpec spec, int w, int h) {
        List<Rung> rungs = new ArrayList<>();
        if (spec.outputs == null || w == 0) {
            return rungs;
        }
        for (io.streammix.api.v1alpha1.MixOutput o : spec.outputs) {
            if (!o.hasVideo() || o.video.width == null || o.video.height == null) {
                continue;
            }
            Rung r = new Rung((o.video.width + 1) & ~1, (o.video.height + 1) & ~1);
            if (r.width() <= w && r.height() <= h && (r.width() != w || r.height() != h) && !rungs.contains(r)) {
                rungs.add(r);
            }
        }
        return List.copyOf(rungs);
    }

    /** A watermark: its place and the YUVA picture blended on top of everything. */
    public record Watermark(int left, int top, StillImages.Picture picture) {
    }

    /** A plan without images (a background colour only when {@code images} is given): for tests of the layout. */
    public static MixPlan of(MixTaskSpec spec, StillImages images) {
        return of(spec, images == null ? null : new ImageLoader(images, () -> { }), 0, 0, null);
    }

    /**
     * @param images   the loader whose cache has the images (those not in yet keep what {@code previous} showed)
     * @param previous the plan drawn now, or null
     */
    public static MixPlan of(MixTaskSpec spec, ImageLoader images, long generation, long revision, MixPlan previous) {
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
                    && l.content() != Content.AudioOnly && images != null ? images.images().placeholder(loss.image, l) : null;
            layouts.add(new InputLayout(l.name(), l.left(), l.top(), l.width(), l.height(), l.layer(), l.renderMode(), l.content(),
                    l.volume(), l.soundLevelId(), loss.holdOrDefault() / 1000.0, placeholder));
        }
        // Stable sort: equal layers keep list order.
        List<InputLayout> order = layouts.stream()
                .filter(l -> l.content() != Content.AudioOnly && w > 0)
                .sorted(Comparator.comparingInt(InputLayout::layer))
                .toList();
        Frames.Yuv color = Frames.Yuv.ofHex(spec.background == null ? null : spec.background.color);
        StillImages.Hold hold = new StillImages.Hold(images == null ? null : images.images());
        StillImages.Picture bg = null;
        Watermark wm = null;
        if (w > 0 && images != null) {
            bg = hold.add(background(spec, images, color, w, h, previous));
            wm = watermark(spec, images, previous, hold);
        }
        Map<String, InputLayout> byName = layouts.stream()
                .collect(Collectors.toMap(InputLayout::name, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
        return new MixPlan(w, h, fps, color, bg, byName, order, wm, generation, revision, hold, rungsOf(spec, w, h));
    }

    /** The image when it is in; what the previous plan showed while it loads; else the colour. */
    private static StillImages.Picture background(MixTaskSpec spec, ImageLoader images, Frames.Yuv color, int w, int h,
                                                  MixPlan previous) {
        for (ImageLoader.Request r : ImageLoader.requests(spec)) {
            if (r.watermark()) {
                continue;
            }
            ImageLoader.State s = images.state(r);
            StillImages.Picture p = s == ImageLoader.State.READY ? images.take(r) : null;
            if (p != null) {
                return p;
            }
            if (s == ImageLoader.State.PENDING && previous != null && previous.background() != null
                    && previous.width() == w && previous.height() == h) {
                return images.images().retain(previous.background());
            }
        }
        return images.images().colour(color, w, h);
    }

    private static Watermark watermark(MixTaskSpec spec, ImageLoader images, MixPlan previous, StillImages.Hold hold) {
        for (ImageLoader.Request r : ImageLoader.requests(spec)) {
            if (!r.watermark()) {
                continue;
            }
            ImageLoader.State s = images.state(r);
            StillImages.Picture p = s == ImageLoader.State.READY ? images.take(r) : null;
            if (p != null) {
                return new Watermark(spec.watermark.rect.left, spec.watermark.rect.top, hold.add(p));
            }
            if (s == ImageLoader.State.PENDING && previous != null && previous.watermark() != null) {
                Watermark old = previous.watermark();
                hold.add(images.images().retain(old.picture()));
                return old;
            }
        }
        return null;
    }
}
