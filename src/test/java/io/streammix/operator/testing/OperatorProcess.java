package io.streammix.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.javaoperatorsdk.operator.Operator;
import io.streammix.operator.worker.ControlConnections;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator in a JVM of its own, as the chart's pod runs it (its own heap limit and GC), so that a benchmark
 * measures the operator's heap and RSS and not the test's. The parent ({@link #start}) hands it a properties file
 * (the release's {@code mixtask.*} configuration, the API server's URL, a token of the release's ServiceAccount, the
 * watched namespaces) and talks to it over stdin/stdout: the line {@code requests} answers {@code SCALE requests N},
 * the number of HTTP requests the operator's client has sent; closing stdin stops the operator and the JVM.
 *
 * <p>Threads: the child's main thread reads stdin; the operator runs on JOSDK's threads. In the parent, one thread
 * copies the child's output into its log file and hands the protocol lines to the caller.
 */
public final class OperatorProcess implements AutoCloseable {
    static final String PREFIX = "SCALE ";
    private final Process process;
    private final PrintWriter commands;
    private final java.util.concurrent.BlockingQueue<String> answers = new java.util.concurrent.LinkedBlockingQueue<>();

    private OperatorProcess(Process process, Path log) throws IOException {
        this.process = process;
        this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        Thread copier = new Thread(() -> copy(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), out),
                "operator-process-output");
        copier.setDaemon(true);
        copier.start();
    }

    /**
     * Starts the operator in a new JVM with {@code jvmOptions} and the test classpath; returns once it has started.
     * Options of the form {@code NAME=value} (capitals, e.g. {@code MALLOC_ARENA_MAX=2}) are set in the JVM's
     * environment instead, as the chart's pod sets them.
     *
     * @param properties the operator's configuration plus {@code test.api-url}, {@code test.token},
     *                   {@code test.namespaces} (comma-separated, empty: all)
     */
    public static OperatorProcess start(List<String> jvmOptions, Map<String, String> properties, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("operator.properties");
        Properties p = new Properties();
        p.putAll(properties);
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "OperatorProcess");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Map<String, String> environment = new HashMap<>();
        for (String option : jvmOptions) {
            if (option.matches("[A-Z_][A-Z0-9_]*=.*")) {
                environment.put(option.substring(0, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
            } else {
                command.add(option);
            }
        }
        command.add("-cp");
        // Surefire runs the tests from a manifest-only jar; this property holds the real classpath.
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(OperatorProcess.class.getName());
        command.add(config.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        OperatorProcess child = new OperatorProcess(process, dir.resolve("operator.log"));
        child.await("started", Duration.ofSeconds(120));
        return child;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** HTTP requests the operator's client has sent since it started (watches and lists count once each). */
    public long requests() {
        commands.println("requests");
        return Long.parseLong(await("requests", Duration.ofSeconds(30)));
    }

    private String await(String what, Duration timeout) {
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String line = answers.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(what)) {
                    return line.substring(what.length()).trim();
                }
                if (line == null && !process.isAlive()) {
                    throw new IllegalStateException("the operator process exited (" + process.exitValue() + ") before '" + what + "'");
                }
            }
            throw new IllegalStateException("no '" + what + "' from the operator process in " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void copy(Reader from, Writer to) {
        try (BufferedReader in = new BufferedReader(from); to) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(PREFIX)) {
                    answers.add(line.substring(PREFIX.length()));
                }
                to.write(line);
                to.write('\n');
                to.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        commands.close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The child: the operator as {@link OperatorHarness} runs it, with a client that counts its requests. */
    public static void main(String[] args) throws IOException {
        ControlConnections.bound(); // as the operator's entry point does, before any client is built
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> config = new HashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("mixtask.")).forEach(k -> config.put(k, p.getProperty(k)));
        String namespaces = p.getProperty("test.namespaces", "");
        AtomicLong requests = new AtomicLong();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(io.streammix.testing.kube.ControlPlane.clientConfig(p.getProperty("test.api-url"),
                        p.getProperty("test.token"), "mixtask-operator"))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count-requests", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        requests.incrementAndGet();
                    }
                }))
                .build();
        Operator operator = OperatorHarness.start(client, OperatorHarness.config(config), null,
                namespaces.isBlank() ? Set.of() : Set.of(namespaces.split(",")));
        System.out.println(PREFIX + "started");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("requests")) {
                System.out.println(PREFIX + "requests " + requests.get());
            }
        }
        operator.stop();
        client.close();
        System.exit(0);
    }
}
