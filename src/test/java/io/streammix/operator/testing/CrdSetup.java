package io.streammix.operator.testing;

import io.quarkus.test.kubernetes.client.KubernetesServer;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Creates the MixTask CRD (the committed, generated file) in the mock API server before the operator
 * starts, so the server knows the resource is namespaced and has a status subresource.
 */
public class CrdSetup implements Consumer<KubernetesServer> {
    public static final String CRD_FILE = "crds/mixtasks.streammix.io-v1.yml";

    @Override
    public void accept(KubernetesServer server) {
        try (InputStream in = new FileInputStream(CRD_FILE)) {
            server.getClient().apiextensions().v1().customResourceDefinitions().load(in).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
