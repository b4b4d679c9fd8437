package io.streammix.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.streammix.api.v1alpha1.MixTask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a local run reads from a YAML file, as {@code kubectl apply -f} would find it: the one MixTask of the file and
 * the Secrets beside it (an example may carry the Secret its {@code urlFrom} reads). Other kinds are skipped.
 */
public record LocalTaskFile(MixTask task, Map<String, Secret> secrets) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** @throws IOException when the file is not YAML, or holds no MixTask or more than one */
    static LocalTaskFile read(Path file) throws IOException {
        MixTask task = null;
        Map<String, Secret> secrets = new HashMap<>();
        for (JsonNode doc : documents(file)) {
            switch (doc.path("kind").asText()) {
                case "MixTask" -> {
                    if (task != null) {
                        throw new IOException("more than one MixTask in the file; a local run mixes one");
                    }
                    task = YAML.treeToValue(doc, MixTask.class);
                }
                case "Secret" -> put(secrets, YAML.treeToValue(doc, Secret.class));
                default -> {
                    // a PVC and the like: a cluster's business
                }
            }
        }
        if (task == null) {
            throw new IOException("no document of kind MixTask");
        }
        return new LocalTaskFile(task, secrets);
    }

    /** The Secrets of a file of Secrets ({@code --secrets}); anything else in it is skipped. */
    public static Map<String, Secret> readSecrets(Path file) throws IOException {
        Map<String, Secret> secrets = new HashMap<>();
        for (JsonNode doc : documents(file)) {
            if ("Secret".equals(doc.path("kind").asText())) {
                put(secrets, YAML.treeToValue(doc, Secret.class));
            }
        }
        return secrets;
    }

    private static void put(Map<String, Secret> secrets, Secret s) throws IOException {
        if (s.getMetadata() == null || s.getMetadata().getName() == null) {
            throw new IOException("a Secret without metadata.name");
        }
        secrets.put(s.getMetadata().getName(), s);
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(Files.readAllBytes(file))) {
            return docs.readAll().stream().filter(d -> d != null && d.isObject()).toList();
        }
    }
}
