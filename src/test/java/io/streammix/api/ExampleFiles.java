package io.streammix.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammix.api.crd.CrdSchema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The files of examples/ and the MixTasks in them (an example may carry a Secret or a PVC next to its MixTask). */
public final class ExampleFiles {
    private ExampleFiles() {
    }

    public static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** The YAML documents of {@code file} whose kind is MixTask, in file order. */
    public static List<String> mixTaskDocuments(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
            JsonNode object = CrdSchema.YAML.readTree(doc);
            if (object != null && "MixTask".equals(object.path("kind").asText())) {
                out.add(doc);
            }
        }
        return out;
    }
}
