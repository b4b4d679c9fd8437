package io.streammix.startmix.embedded;

import io.streammix.local.LocalTaskFile;
import io.fabric8.kubernetes.api.model.Secret;
import io.streammix.startmix.StartMixApi;
import io.streammix.startmix.StartMixTokens;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.worker.NativeSetup;
import io.streammix.worker.contract.ControlApi;
import io.streammix.worker.playback.LiveStreams;
import io.streammix.worker.playback.MediaServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The start-mix API without a cluster (the README's embedded default): {@code POST /cgi/start-mix} and
 * {@code /cgi/stop-mix}, the same {@link StartMixApi} the operator serves, with each task mixed in this process by the
 * worker engine ({@link EmbeddedMixTaskStore}) and its outputs played on one media port. Both ports are on the worker's
 * HTTP stack (Vert.x, with deadlines and connection caps: {@link StartMixHttp}).
 *
 * <pre>StartMixServer [--port 8090] [--host 127.0.0.1] [--media-port 8080] [--out-dir out] [--max-fps 20] [--max-tasks-per-token 20]
 *                [--input-url-template URL-with-{streamId}] [--token TOKEN] [--tokens FILE] [--namespace default]</pre>
 *
 * Inputs given by {@code stream_id} (every vendor sample sends them) are pulled from a local RTMP server by default,
 * {@link #DEFAULT_INPUT_URL_TEMPLATE}: a mix starts at once, and each input shows as soon as it is published there.
 *
 * Tokens: {@code --tokens FILE} reads token Secrets (YAML, as an admin creates them in a cluster: label
 * {@code streammix.io/start-mix-token: "true"}, key {@code token}, optional {@code appid}; the Secret's namespace, else
 * {@code --namespace}); {@code --token} adds one token; with neither, a random token is written to
 * {@code <out-dir>/start-mix-api.token} (mode 600). Tokens are never printed.
 */
public final class StartMixServer implements AutoCloseable {
    static final String USAGE = "usage: StartMixServer [--port 8090] [--host 127.0.0.1] [--media-port 8080] [--out-dir out] "
            + "[--max-fps 20] [--max-tasks-per-token 20] [--input-url-template URL-with-{streamId}] [--token TOKEN] [--tokens FILE] [--namespace default]";
    /** Where inputs by stream id are pulled from unless {@code --input-url-template} says otherwise. */
    public static final String DEFAULT_INPUT_URL_TEMPLATE = "rtmp://127.0.0.1:1935/live/{streamId}";

    /**
     * What the server needs; {@code tokens} maps each token to its binding; a null {@code inputUrlTemplate} is
     * {@link #DEFAULT_INPUT_URL_TEMPLATE}.
     */
    public record Options(String host, int port, int mediaPort, Path outDir, String inputUrlTemplate,
                          Map<String, StartMixTokens.Binding> tokens, int maxFps, int maxTasksPerToken) {
        public Options(String host, int port, int mediaPort, Path outDir, String inputUrlTemplate,
                       Map<String, StartMixTokens.Binding> tokens) {
            this(host, port, mediaPort, outDir, inputUrlTemplate, tokens, OperatorConfig.DEFAULT_MAX_FPS);
        }

        public Options(String host, int port, int mediaPort, Path outDir, String inputUrlTemplate,
                       Map<String, StartMixTokens.Binding> tokens, int maxFps) {
            this(host, port, mediaPort, outDir, inputUrlTemplate, tokens, maxFps, OperatorConfig.DEFAULT_MAX_TASKS_PER_TOKEN);
        }
    }

    private final StartMixHttp http;
    private final MediaServer media;
    private final EmbeddedMixTaskStore store;

    private StartMixServer(StartMixHttp http, MediaServer media, EmbeddedMixTaskStore store) {
        this.http = http;
        this.media = media;
        this.store = store;
    }

    /** Starts serving; {@link NativeSetup#prepare} must have run before (it sets JavaCPP's cache before FFmpeg loads). */
    public static StartMixServer start(Options o) throws IOException {
        NativeSetup.quietFfmpeg(System.getenv()); // FFmpeg's network and log level
        LiveStreams streams = new LiveStreams();
        MediaServer media = new MediaServer(o.host(), o.mediaPort(), streams);
        String playHost = o.host().equals("0.0.0.0") ? "127.0.0.1" : o.host();
        EmbeddedMixTaskStore store = new EmbeddedMixTaskStore(o.outDir(),
                o.inputUrlTemplate() != null ? o.inputUrlTemplate() : DEFAULT_INPUT_URL_TEMPLATE, o.maxFps(),
                "http://" + playHost + ":" + media.port(), streams);
        StartMixApi api = new StartMixApi(new StartMixTokens.Table(o.tokens()), store, o.maxTasksPerToken());
        try {
            return new StartMixServer(new StartMixHttp(o.host(), o.port(), api, StartMixHttp.LIMITS), media, store);
        } catch (IOException e) {
            media.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public int mediaPort() {
        return media.port();
    }

    public EmbeddedMixTaskStore store() {
        return store;
    }

    /** Stops every task (outputs flushed) and both ports. */
    @Override
    public void close() {
        http.close();
        store.close();
        media.close();
    }

    public static void main(String[] args) throws Exception {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** @return the exit code when it cannot start; otherwise serves until Ctrl-C */
    static int run(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8090;
        Integer mediaPort = null;
        Path outDir = Path.of("out");
        String template = null;
        String namespace = "default";
        int maxFps = OperatorConfig.DEFAULT_MAX_FPS;
        int maxTasks = OperatorConfig.DEFAULT_MAX_TASKS_PER_TOKEN;
        List<String> flagTokens = new ArrayList<>();
        List<Path> tokenFiles = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                System.err.println("option " + args[i] + " needs a value\n" + USAGE);
                return 2;
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(v);
                case "--host" -> host = v;
                case "--media-port" -> mediaPort = Integer.parseInt(v);
                case "--out-dir" -> outDir = Path.of(v);
                case "--input-url-template" -> template = v;
                case "--token" -> flagTokens.add(v);
                case "--tokens" -> tokenFiles.add(Path.of(v));
                case "--namespace" -> namespace = v;
                case "--max-fps" -> maxFps = Integer.parseInt(v);
                case "--max-tasks-per-token" -> maxTasks = Integer.parseInt(v);
                default -> {
                    System.err.println("unknown option " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
        }
        Map<String, StartMixTokens.Binding> tokens = new HashMap<>();
        for (Path f : tokenFiles) {
            List<Secret> secrets;
            try {
                secrets = new ArrayList<>(LocalTaskFile.readSecrets(f).values());
            } catch (Exception e) {
                System.err.println(f + ": not a file of Secrets: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                return 1;
            }
            int before = tokens.size();
            for (Secret s : secrets) {
                String token = StartMixTokens.value(s, StartMixTokens.TOKEN_KEY);
                if (StartMixTokens.labelled(s) && token != null && !token.isEmpty()) {
                    tokens.put(token, StartMixTokens.binding(s, namespace));
                }
            }
            System.out.println(f + ": " + (tokens.size() - before) + " token(s) (Secrets labelled " + StartMixTokens.LABEL + "=true)");
        }
        for (int i = 0; i < flagTokens.size(); i++) {
            // Each --token its own owner (the cap of tasks is per token).
            tokens.put(flagTokens.get(i), new StartMixTokens.Binding(namespace, null, "--token #" + (i + 1)));
        }
        Files.createDirectories(outDir);
        Path tokenFile = null;
        if (tokens.isEmpty()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            tokenFile = outDir.resolve("start-mix-api.token");
            Files.deleteIfExists(tokenFile);
            Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tokenFile, token);
            tokens.put(token, new StartMixTokens.Binding(namespace, null, tokenFile.toString()));
        }
        Map<String, String> env = System.getenv();
        NativeSetup.prepare(env);
        if (mediaPort == null) {
            mediaPort = free(host, ControlApi.MEDIA_PORT) ? ControlApi.MEDIA_PORT : 0;
        }
        StartMixServer s = start(new Options(host, port, mediaPort, outDir, template, tokens, maxFps, maxTasks));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.close();
            stopped.countDown();
        }, "start-mix-api-stop"));
        String base = "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + s.port();
        System.out.println("start-mix API: POST " + base + "/cgi/start-mix and " + base + "/cgi/stop-mix ("
                + tokens.size() + " token(s), tasks in namespace " + namespace + "); outputs play on port " + s.mediaPort());
        System.out.println("inputs given by stream_id are pulled from " + (template != null ? "--input-url-template"
                : DEFAULT_INPUT_URL_TEMPLATE + " (publish them there; --input-url-template changes it)") + "; fps at most " + maxFps
                + ", at most " + maxTasks + " tasks per token");
        String tokenArg = tokenFile != null ? "$(cat " + tokenFile + ")" : "YOUR_TOKEN";
        System.out.println("try: curl -X POST '" + base + "/cgi/start-mix?access_token='" + tokenArg
                + " -d @examples/start-mix/request.json");
        stopped.await();
        return 0;
    }

    private static boolean free(String host, int port) {
        try (java.net.ServerSocket ss = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName(host))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
