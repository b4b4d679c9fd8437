package io.streammix.worker;

import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.engine.MixEngine;

import java.nio.file.Path;
import java.util.Map;

/** Runs the engine in-process on a spec for tests. */
public final class EngineRun {
    private EngineRun() {
    }

    static {
        NativeSetup.prepare(Map.of());
        NativeSetup.quietFfmpeg(Map.of());
    }

    /** Loads FFmpeg the way the worker does (scratch cache dir, quiet logs, devices registered). */
    public static void prepare() {
        // the static initialiser did it
    }

    public static MixEngine start(MixTaskSpec spec, Path outDir) {
        return MixEngine.start(new SpecSubmission(1, spec), new MixEngine.Config(outDir, null));
    }

    /** Mixes for {@code seconds} of wall time, then stops (outputs flushed). */
    public static MixEngine runFor(MixTaskSpec spec, Path outDir, double seconds) throws InterruptedException {
        MixEngine e = start(spec, outDir);
        Thread.sleep((long) (seconds * 1000));
        e.close();
        return e;
    }
}
