package io.streammix.worker.engine.scene;

import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.validation.Violation;
import io.streammix.worker.contract.WorkerReport;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's current {@link MixPlan} and what it draws: the image cache, the {@link ImageLoader}, and when each update
 * first showed in the output ("applied at mix time t"). The control thread installs plans (under the engine's lock),
 * the loader thread asks for a new plan when an image comes in (also under the engine's lock, never while decoding),
 * the output clock reads the plan and reports the first tick it drew with each one (lock-free).
 */
public final class Scene implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Scene.class);
    /** How long an edit waits for its images before it goes live without them: a local file is in by then. */
    public static final long IMAGE_WAIT_MS = 200;

    private final StillImages images = new StillImages();
    private final ImageLoader loader;
    private volatile MixPlan plan;
    /** The revision of the last plan built; under the engine's lock. */
    private long revision;

    /** The update awaiting its first frame: the plan revision that shows all of it, and that frame's mix time once drawn. */
    private record Shown(long generation, long revision, double at) {
    }

    private final AtomicReference<Shown> shown = new AtomicReference<>(new Shown(-1, Long.MAX_VALUE, Double.NaN));

    /** @param arrived called on the loader thread when an image is in or failed: the engine then calls {@link #refresh} */
    public Scene(Runnable arrived) {
        this.loader = new ImageLoader(images, arrived);
    }

    public MixPlan plan() {
        return plan;
    }

    /** Starts loading the images of {@code spec}, waiting at most {@link #IMAGE_WAIT_MS} for them (never under a lock). */
    public void awaitImages(MixTaskSpec spec) {
        List<CompletableFuture<Void>> loads = loader.request(spec);
        if (loads.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).get(IMAGE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("images still loading: the edit goes live without them");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debugf("loading images: %s", e.getMessage());
        }
        prefetchPlaceholders(spec);
    }

    /**
     * Lost inputs' placeholder images are still decoded when a plan is built ({@link StillImages#placeholder}): a plan
     * built and dropped here, before the engine's lock, puts them in their cache first.
     */
    private void prefetchPlaceholders(MixTaskSpec spec) {
        if (spec.inputs.stream().noneMatch(in -> in.onLoss != null && in.onLoss.image != null)) {
            return;
        }
        try {
            MixPlan.of(spec, loader, 0, 0, null).hold().release();
        } catch (RuntimeException e) {
            LOG.debugf("prefetching placeholders: %s", e.getMessage()); // the locked apply meets it again
        }
    }

    /** Images of {@code spec} refused as over {@code MediaLimits}: the spec is refused naming them. */
    public List<Violation> tooLarge(MixTaskSpec spec) {
        List<Violation> v = new ArrayList<>();
        for (ImageLoader.Request r : ImageLoader.requests(spec)) {
            String why = loader.tooLarge(r.url());
            if (why != null) {
                v.add(new Violation(r.field(), why));
            }
        }
        for (int i = 0; i < spec.inputs.size(); i++) {
            String placeholder = spec.inputs.get(i).onLoss == null ? null : spec.inputs.get(i).onLoss.image;
            if (images.tooLarge(placeholder) != null) {
                v.add(new Violation("spec.inputs[" + i + "].onLoss.image", images.tooLarge(placeholder)));
            }
        }
        return v;
    }

    /** Builds and installs the plan of {@code spec} (engine's lock held); the previous one is released. */
    public MixPlan install(MixTaskSpec spec, long generation) {
        loader.request(spec); // in case nobody awaited them (the first spec): they come in with a later plan
        MixPlan next = MixPlan.of(spec, loader, generation, ++revision, plan);
        shown.set(new Shown(generation, loading(spec) ? Long.MAX_VALUE : next.revision(), Double.NaN));
        swap(next);
        return next;
    }

    /** An image came in or failed: the running spec's plan again, swapped in between two ticks (engine's lock held). */
    public void refresh(MixTaskSpec spec, long generation) {
        if (plan == null) {
            return;
        }
        MixPlan next = MixPlan.of(spec, loader, generation, ++revision, plan);
        Shown s = shown.get();
        if (s.generation() == generation && s.revision() == Long.MAX_VALUE && !loading(spec)) {
            shown.compareAndSet(s, new Shown(generation, next.revision(), Double.NaN));
        }
        swap(next);
    }

    /** The plan replaced is released: its pictures go back to the cache once the clock has moved on too. */
    private void swap(MixPlan next) {
        MixPlan old = plan;
        plan = next;
        if (old != null) {
            old.hold().release();
        }
    }

    private boolean loading(MixTaskSpec s) {
        return ImageLoader.requests(s).stream().anyMatch(r -> loader.state(r) == ImageLoader.State.PENDING);
    }

    /** For the update's message: images loading, or not shown and why (the field named, never the URL). */
    public String notes(MixTaskSpec s) {
        StringBuilder b = new StringBuilder();
        for (ImageLoader.Request r : ImageLoader.requests(s)) {
            switch (loader.state(r)) {
                case PENDING -> b.append("; loading ").append(r.field());
                case FAILED -> b.append("; ").append(r.field()).append(" not shown: ").append(loader.failure(r));
                default -> {
                }
            }
        }
        return b.toString();
    }

    /** Warnings for the status: the images of {@code s} that are not shown, and why. */
    public List<String> warnings(MixTaskSpec s) {
        List<String> w = new ArrayList<>(images.warnings());
        for (ImageLoader.Request r : ImageLoader.requests(s)) {
            if (loader.state(r) == ImageLoader.State.FAILED) {
                w.add(r.field() + " not shown: " + loader.failure(r));
            }
        }
        return w;
    }

    /** {@code last} with the mix time of its first frame, once the clock drew it. */
    public WorkerReport.UpdateResult withAppliedAt(WorkerReport.UpdateResult last) {
        Shown at = shown.get();
        if (last != null && "Applied".equals(last.result()) && at.generation() == last.generation() && !Double.isNaN(at.at())) {
            return new WorkerReport.UpdateResult(last.generation(), last.result(), last.message(), at.at());
        }
        return last;
    }

    /** On the output clock: the first tick drawn with {@code p}; marks the update it completes as shown. Lock-free. */
    public void drawn(MixPlan p, double time) {
        Shown s = shown.get();
        if (Double.isNaN(s.at()) && p.revision() >= s.revision()) {
            shown.compareAndSet(s, new Shown(s.generation(), s.revision(), time));
        }
    }

    /** Breaks off a running image download at once; never waits for it. */
    public void stopLoading() {
        loader.close();
    }

    /** Frees the pictures: only once the clock has stopped. */
    @Override
    public void close() {
        loader.close();
        images.close();
    }

    public StillImages images() {
        return images;
    }
}
