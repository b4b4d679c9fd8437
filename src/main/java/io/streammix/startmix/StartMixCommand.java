package io.streammix.startmix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.validation.SpecValidator;
import io.streammix.api.validation.Violation;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * For users coming from the vendor's API: turns a start-mix request (JSON, a file or {@code -} for stdin)
 * into a MixTask YAML on stdout, ready for {@code kubectl apply -f -} or a GitOps repository.
 * What is not carried over is said on stderr, one line each; a request the
 * converter cannot read, or whose MixTask would be refused at admission, exits 1 naming the field.
 *
 * <pre>./mvnw -q compile exec:java@start-mix -Dexec.args="request.json [--namespace NS]" | kubectl apply -f -</pre>
 */
public final class StartMixCommand {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY);

    private StartMixCommand() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** @return the exit code: 0 done, 1 refused, 2 usage */
    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) throws IOException {
        String file = null;
        String namespace = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--namespace") && i + 1 < args.length) {
                namespace = args[++i];
            } else if (file == null && !args[i].startsWith("--")) {
                file = args[i];
            } else {
                file = null;
                break;
            }
        }
        if (file == null) {
            err.println("usage: StartMixCommand <request.json | -> [--namespace NS]");
            return 2;
        }
        JsonNode request;
        try (InputStream in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file))) {
            StartMixBody.Parsed parsed = StartMixBody.parse(in.readAllBytes());
            request = parsed.request();
            if (parsed.lenient()) {
                err.println(StartMixBody.LENIENT);
            }
        } catch (IOException e) {
            err.println("cannot read a start-mix request from " + file + ": " + e.getMessage());
            return 1;
        }
        StartMixConverter.Result result;
        try {
            result = StartMixConverter.convert(request, namespace);
        } catch (StartMixException e) {
            err.println("start-mix request refused: " + e.getMessage());
            return 1;
        }
        MixTask task = result.task();
        task.setStatus(null); // what the operator writes, never what a user applies
        List<Violation> violations = SpecValidator.validate(task.getSpec());
        if (!violations.isEmpty()) {
            violations.forEach(v -> err.println("the MixTask would be refused at admission: " + v));
            return 1;
        }
        result.warnings().forEach(w -> err.println("not carried over: " + w));
        out.print(YAML.writeValueAsString(task));
        return 0;
    }
}
