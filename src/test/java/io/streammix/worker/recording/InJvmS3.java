package io.streammix.worker.recording;

import io.streammix.api.v1alpha1.S3Upload;
import io.streammix.api.v1alpha1.ValueFrom;
import io.streammix.worker.contract.SpecSubmission;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real S3-compatible server in the test JVM: S3Proxy (the S3 REST protocol with AWS v4 signatures) over a
 * jclouds in-memory blobstore, on a free loopback port.
 *
 * <p>S3Proxy runs in its own class loader: jclouds 2.7 needs Guice 7 (jakarta.inject), while Quarkus' test
 * bootstrap puts Guice 5 (javax.inject, for the Maven embedder) earlier on the test classpath, and with Guice 5
 * jclouds' injector cannot be built. The loader sees the test classpath without Guice 5, parent the platform
 * loader, so nothing else of the test leaks in; the test talks to S3Proxy over HTTP only.
 */
final class InJvmS3 implements AutoCloseable {
    static final String ACCESS_KEY = "AKIDRECORDINGTEST";
    static final String SECRET_KEY = "s3cr3t/RecordingTestKey+1";

    private final URLClassLoader loader;
    private final Object context;
    private final Object proxy;
    private final int port;
    private final S3Client client;

    InJvmS3(String bucket) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!(e.contains("/com/google/inject/guice/") && !e.contains("/guice/7."))) {
                urls.add(Path.of(e).toUri().toURL());
            }
        }
        loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader); // jclouds finds its providers through the context loader
        try {
            Class<?> contextBuilder = loader.loadClass("org.jclouds.ContextBuilder");
            Class<?> blobStoreContext = loader.loadClass("org.jclouds.blobstore.BlobStoreContext");
            Object builder = contextBuilder.getMethod("newBuilder", String.class).invoke(null, "transient");
            builder = contextBuilder.getMethod("credentials", String.class, String.class).invoke(builder, "unused", "unused");
            context = contextBuilder.getMethod("build", Class.class).invoke(builder, blobStoreContext);
            Object blobStore = blobStoreContext.getMethod("getBlobStore").invoke(context);
            Class<?> s3ProxyClass = loader.loadClass("org.gaul.s3proxy.S3Proxy");
            Class<?> auth = loader.loadClass("org.gaul.s3proxy.AuthenticationType");
            Object b = s3ProxyClass.getMethod("builder").invoke(null);
            Class<?> bc = b.getClass();
            bc.getMethod("blobStore", loader.loadClass("org.jclouds.blobstore.BlobStore")).invoke(b, blobStore);
            bc.getMethod("endpoint", URI.class).invoke(b, URI.create("http://127.0.0.1:0"));
            bc.getMethod("awsAuthentication", auth, String.class, String.class)
                    .invoke(b, auth.getField("AWS_V2_OR_V4").get(null), ACCESS_KEY, SECRET_KEY);
            proxy = bc.getMethod("build").invoke(b);
            s3ProxyClass.getMethod("start").invoke(proxy);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"STARTED".equals(s3ProxyClass.getMethod("getState").invoke(proxy))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start");
                }
                Thread.sleep(20);
            }
            port = (int) s3ProxyClass.getMethod("getPort").invoke(proxy);
        } finally {
            t.setContextClassLoader(before);
        }
        client = S3FileUploader.client(upload(bucket, null), credentials());
        client.createBucket(r -> r.bucket(bucket));
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    S3Upload upload(String bucket, String prefix) {
        S3Upload u = new S3Upload();
        u.endpoint = endpoint();
        u.bucket = bucket;
        u.prefix = prefix;
        // What the operator reads the key pair from; the worker gets the values in SpecSubmission.uploadCredentials.
        u.accessKeyFrom = new ValueFrom("s3", "access-key");
        u.secretKeyFrom = new ValueFrom("s3", "secret-key");
        return u;
    }

    static SpecSubmission.S3Credentials credentials() {
        return new SpecSubmission.S3Credentials(ACCESS_KEY, SECRET_KEY);
    }

    /** Keys in the bucket, sorted. */
    List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(o -> o.key()).sorted().toList();
    }

    void download(String bucket, String key, Path to) {
        client.getObject(r -> r.bucket(bucket).key(key), to);
    }

    void put(String bucket, String key, byte[] data) {
        client.putObject(r -> r.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(data));
    }

    byte[] bytes(String bucket, String key) {
        return client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.getClass().getMethod("stop").invoke(proxy);
        ((AutoCloseable) context).close();
        loader.close();
    }
}
