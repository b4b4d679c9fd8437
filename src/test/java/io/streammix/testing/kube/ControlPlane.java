package io.streammix.testing.kube;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.streammix.api.crd.CrdGenerator;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A real Kubernetes control plane on loopback, from the binaries {@code src/test/kube/build-control-plane.sh}
 * builds out of Kubernetes' own Go modules: etcd, kube-apiserver (RBAC, the default admission plugins including
 * ServiceAccount, service-account tokens) and kube-controller-manager (Deployments, ReplicaSets, garbage
 * collection, namespaces, ServiceAccounts). Every listener is on 127.0.0.1. There is no scheduler and no kubelet:
 * {@link LoopbackKubelet} binds pods and runs them.
 *
 * <p>One per test JVM ({@link #shared()}), started on first use and stopped when the JVM exits; tests isolate
 * themselves by namespace. The admin identity is a static token in group {@code system:masters}; other
 * identities are real ServiceAccount tokens from the TokenRequest API ({@link #clientAs}).
 */
public final class ControlPlane implements AutoCloseable {
    /**
     * The JUnit tag of every test class that uses the control plane: Maven runs them in a JVM of their own (the
     * {@code kube-api} execution of surefire), so the control plane's processes never share a machine's JVM with the
     * media tests, which time frames.
     */
    public static final String TAG = "kube";
    private static final Logger LOG = Logger.getLogger(ControlPlane.class);
    private static ControlPlane shared;

    private final Path dir;
    private final Path bin;
    private final String adminToken = UUID.randomUUID().toString();
    private final List<Process> processes = new ArrayList<>();
    private final int apiPort;
    private final String address;
    private final Path kubeconfig;
    private boolean crdInstalled;
    private LoopbackKubelet kubelet;

    /**
     * What tests that run MixTasks need: the binaries (else the test skips, or fails in CI), this JVM's control plane
     * with the MixTask CRD installed and the kubelet running worker pods.
     */
    public static ControlPlane forMixTasks() {
        ControlPlaneBinaries.assumeAvailable();
        ControlPlane cp = shared();
        cp.installCrd();
        cp.kubelet();
        return cp;
    }

    /** The control plane of this test JVM, started on first call. Callers first check {@link ControlPlaneBinaries#assumeAvailable()}. */
    public static synchronized ControlPlane shared() {
        if (shared == null) {
            Path bin = ControlPlaneBinaries.directory().orElseThrow(() -> new IllegalStateException(ControlPlaneBinaries.missingMessage()));
            try {
                shared = new ControlPlane(bin, Files.createDirectories(Path.of("target", "control-plane"))
                        .resolve("run-" + ProcessHandle.current().pid()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ControlPlane cp = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(cp::close, "control-plane-stop"));
        }
        return shared;
    }

    /**
     * A control plane of its own (not this JVM's shared one) for real nodes: the API server listens on {@code address}
     * (the host's end of the nodes' bridge), advertises it as the {@code kubernetes} Service's endpoint, and the
     * controller manager runs all its default controllers (node lifecycle and taint-based eviction, endpoint slices,
     * ...). The caller closes it.
     */
    public static ControlPlane forNodes(String address, Path dir) {
        Path bin = ControlPlaneBinaries.directory().orElseThrow(() -> new IllegalStateException(ControlPlaneBinaries.missingMessage()));
        try {
            return new ControlPlane(bin, dir, address);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ControlPlane(Path bin, Path dir) throws IOException {
        this(bin, dir, null);
    }

    /** @param nodeAddress null: everything on loopback, pods run by {@link LoopbackKubelet}; else see {@link #forNodes} */
    private ControlPlane(Path bin, Path dir, String nodeAddress) throws IOException {
        this.bin = bin;
        this.address = nodeAddress != null ? nodeAddress : "127.0.0.1";
        this.dir = Files.createDirectories(dir.toAbsolutePath());
        long began = System.nanoTime();
        Path pki = Files.createDirectories(this.dir.resolve("pki"));
        writeServiceAccountKeys(pki);
        Files.writeString(pki.resolve("tokens.csv"), adminToken + ",admin,admin-uid,\"system:masters\"\n");
        // An audit log of every write to MixTasks, request and response, for reading after a failed test.
        Files.writeString(pki.resolve("audit-policy.yaml"), """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: [RequestReceived]
                rules:
                - level: RequestResponse
                  verbs: [create, update, patch, delete]
                  resources: [{group: streammix.io}]
                - level: None
                """);

        int etcdPort = freePort();
        int peerPort = freePort();
        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        start("etcd", List.of(bin.resolve("etcd").toString(),
                "--name", "default", "--data-dir", this.dir.resolve("etcd").toString(),
                "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
                "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-cluster", "default=http://127.0.0.1:" + peerPort,
                "--listen-metrics-urls", "http://127.0.0.1:" + freePort(),
                // A test cluster: losing etcd's data on a machine crash does not matter; fsync on every write would.
                "--unsafe-no-fsync", "--log-level", "warn"));

        apiPort = freePort();
        start("kube-apiserver", List.of(bin.resolve("kube-apiserver").toString(),
                "--etcd-servers", etcdUrl,
                "--bind-address", address, "--advertise-address", address, "--secure-port", String.valueOf(apiPort),
                // The "kubernetes" Service's endpoints may not be a loopback address: no endpoint reconciler there.
                "--endpoint-reconciler-type", nodeAddress == null ? "none" : "lease",
                "--cert-dir", pki.toString(),
                "--token-auth-file", pki.resolve("tokens.csv").toString(),
                "--authorization-mode", "RBAC",
                "--audit-policy-file", pki.resolve("audit-policy.yaml").toString(),
                "--audit-log-path", this.dir.resolve("audit.log").toString(),
                "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file", pki.resolve("sa.key").toString(),
                "--service-account-signing-key-file", pki.resolve("sa.key").toString(),
                "--api-audiences", "https://kubernetes.default.svc.cluster.local",
                "--service-cluster-ip-range", "10.96.0.0/16",
                // Real nodes are reached by their InternalIP: their names are in no DNS here.
                "--kubelet-preferred-address-types", "InternalIP,Hostname",
                // Production defaults otherwise: the default admission plugins (ServiceAccount among them) stay on.
                "--v", "1"));
        kubeconfig = writeKubeconfig(this.dir.resolve("admin.kubeconfig"), adminToken);
        awaitApiServer(Duration.ofSeconds(90));

        start("kube-controller-manager", List.of(bin.resolve("kube-controller-manager").toString(),
                "--kubeconfig", kubeconfig.toString(),
                "--authentication-kubeconfig", kubeconfig.toString(), "--authorization-kubeconfig", kubeconfig.toString(),
                "--controllers", nodeAddress != null ? "*" : String.join(",", "deployment-controller", "replicaset-controller",
                        "garbage-collector-controller", "namespace-controller", "serviceaccount-controller", "serviceaccount-token-controller",
                        // Lifts the pvc-protection finalizer once no pod uses a claim (a recording example has one).
                        "persistentvolumeclaim-protection-controller"),
                "--service-account-private-key-file", pki.resolve("sa.key").toString(),
                "--root-ca-file", pki.resolve("apiserver.crt").toString(),
                "--leader-elect=false", "--bind-address", "127.0.0.1", "--secure-port", String.valueOf(freePort()),
                "--v", "1"));
        try (KubernetesClient admin = adminClient()) {
            // The serviceaccount controller makes "default" in every namespace: proof the controller manager runs.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (admin.serviceAccounts().inNamespace("default").withName("default").get() == null) {
                checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("kube-controller-manager made no ServiceAccount in 60 s; see " + dir);
                }
                sleep(200);
            }
        }
        LOG.infof("control plane %s up in %d ms: %s (logs in %s)", version(), 
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), url(), dir);
    }

    public String url() {
        return "https://" + address + ":" + apiPort;
    }

    public String version() {
        return bin.getFileName().toString();
    }

    /** A kubeconfig of the admin identity, for kubectl and helm. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    public Path directory() {
        return dir;
    }

    /** A new client of the admin identity (system:masters); the caller closes it. */
    public KubernetesClient adminClient() {
        return client(adminToken);
    }

    /**
     * A new client holding a real token of this ServiceAccount (TokenRequest API, one hour), so the API server
     * applies exactly the RBAC bound to it: the caller closes it.
     */
    public KubernetesClient clientAs(String namespace, String serviceAccount) {
        return clientAs(namespace, serviceAccount, null);
    }

    /** As {@link #clientAs(String, String)}, its requests signed with this user agent (the field manager they record). */
    public KubernetesClient clientAs(String namespace, String serviceAccount, String userAgent) {
        return client(tokenOf(namespace, serviceAccount), userAgent);
    }

    /** A real token of this ServiceAccount (TokenRequest API, one hour), e.g. for an operator in a process of its own. */
    public String tokenOf(String namespace, String serviceAccount) {
        try (KubernetesClient admin = adminClient()) {
            TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L)
                    .withAudiences("https://kubernetes.default.svc.cluster.local").endSpec().build();
            return admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request).getStatus().getToken();
        }
    }

    private KubernetesClient client(String token) {
        return client(token, null);
    }

    private KubernetesClient client(String token, String userAgent) {
        return new KubernetesClientBuilder().withConfig(clientConfig(url(), token, userAgent)).build();
    }

    /** How every client of a control plane here connects: this token, a user agent (or fabric8's), its self-signed server. */
    public static Config clientConfig(String url, String token, String userAgent) {
        ConfigBuilder builder = new ConfigBuilder(Config.empty());
        if (userAgent != null) {
            builder.withUserAgent(userAgent);
        }
        return builder
                .withMasterUrl(url)
                .withOauthToken(token)
                // The API server's serving certificate is self-signed (written by it into --cert-dir).
                .withTrustCerts(true)
                .withDisableHostnameVerification(true)
                .withNamespace("default")
                .withRequestTimeout(30_000)
                .build();
    }

    /**
     * The MixTask CRD as a user installs it ({@code kubectl apply -f crds/}), once per control plane, then waits
     * until the server serves it.
     */
    public synchronized void installCrd() {
        if (crdInstalled) {
            return;
        }
        kubectl("apply", "--server-side", "-f", CrdGenerator.COMMITTED.toString()).assertSuccess();
        // Not `kubectl wait`: on a CRD created a moment ago it can fail at once, the conditions not being there yet.
        try (KubernetesClient admin = adminClient()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!established(admin)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the MixTask CRD was not Established in 60 s");
                }
                sleep(100);
            }
        }
        crdInstalled = true;
    }

    private static boolean established(KubernetesClient admin) {
        var crd = admin.apiextensions().v1().customResourceDefinitions().withName("mixtasks.streammix.io").get();
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    }

    /** The control plane's one kubelet (a second would race it for every pod), started on first use. */
    public synchronized LoopbackKubelet kubelet() {
        return kubelet(LoopbackKubelet.Runtime.PROCESSES);
    }

    /** The kubelet with this runtime; one per control plane, so a second runtime in the same JVM is an error. */
    public synchronized LoopbackKubelet kubelet(LoopbackKubelet.Runtime runtime) {
        if (kubelet == null) {
            kubelet = new LoopbackKubelet(adminClient(), dir.resolve("kubelet"), runtime).start();
        }
        if (kubelet.runtime() != runtime) {
            throw new IllegalStateException("this control plane's kubelet runs " + kubelet.runtime() + ", not " + runtime);
        }
        return kubelet;
    }

    /** Runs the real kubectl against this control plane. */
    public Kubectl.Result kubectl(String... args) {
        return new Kubectl(bin.resolve("kubectl"), kubeconfig).run(args);
    }

    public Kubectl kubectl() {
        return new Kubectl(bin.resolve("kubectl"), kubeconfig);
    }

    private void start(String name, List<String> command) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
    }

    private void checkAlive() {
        for (Process p : processes) {
            if (!p.isAlive()) {
                throw new IllegalStateException(p.info().command().orElse("a control-plane process") + " exited with "
                        + p.exitValue() + "; its log is in " + dir);
            }
        }
    }

    private void awaitApiServer(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                        .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException("kube-apiserver not ready in " + timeout + " (" + last + "); logs in " + dir);
    }

    private Path writeKubeconfig(Path file, String token) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: loopback
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: admin
                  user:
                    token: %s
                contexts:
                - name: admin@loopback
                  context:
                    cluster: loopback
                    user: admin
                    namespace: default
                current-context: admin@loopback
                """.formatted(url(), token);
        Files.writeString(file, yaml);
        return file;
    }

    /** The key pair that signs and verifies ServiceAccount tokens (PKCS#8 private key: the API server reads both halves from it). */
    private static void writeServiceAccountKeys(Path pki) throws IOException {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048, new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            Files.writeString(pki.resolve("sa.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(pki.resolve("sa.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static SSLContext trustAll() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[]{new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ssl;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TCP port free on loopback at the moment of asking. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (kubelet != null) {
            kubelet.close();
            kubelet = null;
        }
        // Controller manager first (it would log errors against a vanished API server), etcd last.
        stopInReverse(processes);
    }

    /** Stops these processes, last started first (SIGTERM, then SIGKILL after 10 s), and empties the list. */
    public static void stopInReverse(List<Process> processes) {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}
