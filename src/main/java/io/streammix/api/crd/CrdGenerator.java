package io.streammix.api.crd;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.streammix.api.v1alpha1.MixTask;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the MixTask CRD from the Java model (the source of truth) with fabric8's CRD generator.
 * The result is committed in {@code crds/} and copied into the Helm chart; {@code CrdIsCurrentTest}
 * fails when the committed file differs from what the model generates now.
 *
 * <p>Regenerate with {@code ./mvnw -q compile exec:java@crd}.
 */
public final class CrdGenerator {
    public static final String FILE_NAME = "mixtasks.streammix.io-v1.yml";
    /** Where the CRD is committed, relative to the repository root. */
    public static final Path COMMITTED = Path.of("crds", FILE_NAME);
    /** The Helm chart's copy (Helm installs, but never upgrades, what is in a chart's crds/). */
    public static final Path CHART_COPY = Path.of("helm", "mixtask-operator", "crds", FILE_NAME);

    private CrdGenerator() {
    }

    /** The CRD as YAML text, exactly as it is committed. */
    public static String generate() {
        try {
            Path dir = Files.createTempDirectory("crd");
            new CRDGenerator()
                    .customResourceClasses(MixTask.class)
                    .forCRDVersions("v1")
                    .withParallelGenerationEnabled(false)
                    .withPostProcessor(new CRDPostProcessor() {
                        @Override
                        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                            return orderPrinterColumns(crd);
                        }
                    })
                    .inOutputDir(dir.toFile())
                    .generate();
            Path file = dir.resolve(FILE_NAME);
            String yaml = Files.readString(file);
            Files.delete(file);
            Files.delete(dir);
            return yaml;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The generator sorts printer columns by JSON path; `kubectl get mt` should read phase, ready, duration, play, age. */
    private static HasMetadata orderPrinterColumns(HasMetadata crd) {
        List<String> order = List.of("Phase", "Ready", "Duration", "Play", "Age");
        for (CustomResourceDefinitionVersion v : ((CustomResourceDefinition) crd).getSpec().getVersions()) {
            v.getAdditionalPrinterColumns().sort(Comparator.comparingInt(c -> order.indexOf(c.getName())));
        }
        return crd;
    }

    /** Writes the CRD into {@code crds/} and, when the chart exists, into the chart's {@code crds/}. */
    public static void main(String[] args) throws IOException {
        String yaml = generate();
        for (Path target : new Path[] {COMMITTED, CHART_COPY}) {
            if (target == CHART_COPY && !Files.isDirectory(Path.of("helm", "mixtask-operator"))) {
                continue;
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, yaml);
            System.out.println("wrote " + target);
        }
    }
}
