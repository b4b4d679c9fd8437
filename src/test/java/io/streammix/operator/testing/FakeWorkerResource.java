package io.streammix.operator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts the {@link FakeWorker} before Quarkus and points the operator's control URL template at it. */
public class FakeWorkerResource implements QuarkusTestResourceLifecycleManager {
    private static volatile FakeWorker worker;

    public static FakeWorker worker() {
        return worker;
    }

    @Override
    public Map<String, String> start() {
        try {
            worker = new FakeWorker();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("mixtask.worker.control-url-template", worker.controlUrlTemplate());
    }

    @Override
    public void stop() {
        if (worker != null) {
            worker.close();
        }
    }
}
