package io.streammix.worker.engine.output;

import java.util.ArrayList;
import java.util.List;

/** What the engine does to several outputs at once. */
public final class OutputWorkers {
    private OutputWorkers() {
    }

    /** Flushes and closes these outputs side by side (each writes its trailer or ends its connection). */
    public static void stopAll(List<OutputWorker> list) {
        List<Thread> stoppers = new ArrayList<>();
        for (OutputWorker o : list) {
            Thread t = new Thread(() -> {
                try {
                    o.stop(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-" + o.name);
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
