package io.streammix.testing.kube;

/** MixTask manifests the tests on a real API server apply with kubectl. */
public final class Manifests {
    private Manifests() {
    }

    /** A small mix named {@code name}: one synthetic input, one 320x180 output served by the worker (stream id = name). */
    public static String smallTask(String name) {
        return """
                apiVersion: streammix.io/v1alpha1
                kind: MixTask
                metadata:
                  name: %s
                spec:
                  inputs:
                    - name: a
                      url: "synthetic:testsrc?size=320x180&fps=10&tone=440"
                      rect: {left: 0, top: 0, right: 320, bottom: 180}
                  outputs:
                    - name: out
                      streamId: %s
                      video: {width: 320, height: 180, fps: 10, bitrate: 300000}
                      audio: {codec: AAC_LC, bitrate: 64000, channels: 1}
                """.formatted(name, name);
    }
}
