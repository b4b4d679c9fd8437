package io.streammix.worker.recording;

import io.streammix.api.v1alpha1.S3Upload;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Uploads finished recording files to S3 or an S3-compatible server (path-style addressing when an endpoint
 * is given), one at a time in the order they finished, on its own thread. Files up to {@link #partSize} go
 * in one PUT; larger ones as a multipart upload of {@code partSize} parts read from the file (one part
 * buffer in the heap however large the file). A failed file is retried with backoff; the state of every
 * file is in {@link #states()}. The key pair is never logged nor put in a reason.
 *
 * <p>Each file uploaded gets an {@link UploadMarker} beside it, and a file that has one is never uploaded
 * again: a later worker uploads what this one left ({@link #submitEarlier}), and only that. One upload at a
 * time, the files of earlier runs first (they were queued first): the bound on concurrency is one, so an
 * upload backlog never competes with itself for the uplink the live outputs use, nor holds more than one part
 * buffer.
 */
public final class S3FileUploader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(S3FileUploader.class);
    /** 8 MiB: above S3's 5 MiB minimum part size, a small constant heap. */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    static final int ATTEMPTS = 5;

    private final S3Upload upload;
    private final SpecSubmission.S3Credentials credentials;
    private final String output;
    private final S3Client s3;
    private final int partSize;
    private final long firstBackoffMs;
    private final ExecutorService worker;
    private final Map<Path, WorkerReport.FileUpload> states = new LinkedHashMap<>();
    /** Files being uploaded in this process, and by which uploader (see {@link #claim}). */
    private static final Map<Path, S3FileUploader> IN_PROGRESS = new ConcurrentHashMap<>();

    public S3FileUploader(S3Upload upload, SpecSubmission.S3Credentials credentials, String output) {
        this(upload, credentials, output, DEFAULT_PART_SIZE, 1000);
    }

    S3FileUploader(S3Upload upload, SpecSubmission.S3Credentials credentials, String output, int partSize, long firstBackoffMs) {
        if (credentials == null) {
            throw new IllegalArgumentException("output " + output + ": recording.upload has no credentials (the operator "
                    + "resolves accessKeyFrom and secretKeyFrom)");
        }
        this.upload = upload;
        this.credentials = credentials;
        this.output = output;
        this.partSize = partSize;
        this.firstBackoffMs = firstBackoffMs;
        this.s3 = client(upload, credentials);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "upload-" + output);
            t.setDaemon(true);
            return t;
        });
    }

    static S3Client client(S3Upload upload, SpecSubmission.S3Credentials credentials) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                // The S3 client asks for "Expect: 100-continue" on every PUT. With the url-connection client a server that
                // answers at once with a final status (a 403 for wrong keys, as S3Proxy/Jetty and other S3-compatible
                // stores do) could leave the attempt hanging until the server's idle timeout: 30 s per attempt was seen.
                // Our requests are at most one 8 MiB part: sending it before an error costs little.
                .overrideConfiguration(o -> o.addExecutionInterceptor(new NoExpectContinue())
                        .addExecutionInterceptor(new EndpointFence()))
                .region(Region.of(upload.regionOrDefault()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())));
        if (upload.endpoint != null) {
            // S3-compatible servers (MinIO, Ceph, S3Proxy...) rarely have a DNS name per bucket.
            b.endpointOverride(URI.create(upload.endpoint)).forcePathStyle(true)
                    // Many S3-compatible servers reject the SDK's default aws-chunked trailing checksums.
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    /** Removes the Expect header the S3 client adds to uploads (see {@link #client}); runs after the service's interceptors. */
    static final class NoExpectContinue implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor {
        @Override
        public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(
                software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest context,
                software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            return context.httpRequest().toBuilder().removeHeader("Expect").build();
        }
    }

    /** Queues {@code file}; returns at once. */
    public void submit(Path file) {
        queue(file, false);
    }

    /**
     * Queues {@code file}, finished by an earlier worker and not marked as uploaded. That worker may have been
     * stopped between its upload and the marker: the bucket is asked first, and an object of the same size at
     * the key is taken as this file (the names carry their run's start time), marked, and not sent again.
     */
    public void submitEarlier(Path file) {
        queue(file, true);
    }

    /** Runs {@code finder} on the upload thread, then queues what it found as {@link #submitEarlier earlier files}. */
    public void submitEarlier(Supplier<List<Path>> finder) {
        worker.submit(() -> {
            try {
                finder.get().forEach(this::submitEarlier);
            } catch (RuntimeException e) {
                // Never in the way of this run's uploads: the next worker looks again.
                LOG.warnf("recording %s: looking for earlier files to upload: %s", output, e.getMessage());
            }
        });
    }

    private synchronized void queue(Path file, boolean earlier) {
        if (states.containsKey(file)) {
            return; // queued already
        }
        String key = keyOf(file);
        states.put(file, new WorkerReport.FileUpload(file.toString(), WorkerReport.FileUpload.PENDING,
                "s3://" + upload.bucket + "/" + key, 0, null));
        worker.submit(() -> {
            Path claim = file.toAbsolutePath().normalize();
            if (!claim(claim, file)) {
                return;
            }
            try {
                if (UploadMarker.covers(file)) {
                    set(file, WorkerReport.FileUpload.UPLOADED, 0, "uploaded before (" + UploadMarker.of(file).getFileName() + ")");
                    return;
                }
                if (earlier && inBucketAlready(file, key)) {
                    return;
                }
                uploadWithRetries(file, key);
            } finally {
                IN_PROGRESS.remove(claim, this);
            }
        });
    }

    /**
     * Waits until no other uploader of this process works on {@code file}: an output restarted inside the
     * worker starts a new uploader, which finds the files the old one is still uploading (it has up to 15 s after
     * the stop); whichever comes second sees the marker and does not send the file again. False when stopped.
     */
    private boolean claim(Path claim, Path file) {
        while (IN_PROGRESS.putIfAbsent(claim, this) != null) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                set(file, WorkerReport.FileUpload.PENDING, 0, "stopped while an earlier output was uploading it");
                return false;
            }
        }
        return true;
    }

    private boolean inBucketAlready(Path file, String key) {
        try {
            long size = Files.size(file);
            HeadObjectResponse head = s3.headObject(r -> r.bucket(upload.bucket).key(key));
            if (head.contentLength() == null || head.contentLength() != size) {
                return false;
            }
            done(file, key, head.eTag(), size, 0, "found in the bucket (uploaded by an earlier worker)");
            return true;
        } catch (IOException | RuntimeException e) {
            // Not there (404), or the bucket cannot be asked: the upload and its retries decide.
            return false;
        }
    }

    /** Uploaded: marks the file (before anything else, so no later worker sends it again), then deletes it if asked. */
    private void done(Path file, String key, String etag, long size, int attempts, String note) {
        String reason = note;
        try {
            UploadMarker.write(file, "s3://" + upload.bucket + "/" + key, etag, size);
        } catch (IOException e) {
            // Uploaded all the same; a later worker will find it in the bucket (same size) and not send it again.
            reason = "uploaded; marker not written: " + e.getMessage();
            LOG.warnf("recording %s: uploaded %s but could not write its marker: %s", output, LoggedFile.name(file), LoggedFile.why(e));
        }
        set(file, WorkerReport.FileUpload.UPLOADED, attempts, reason);
        if (upload.deleteAfterUploadOrDefault()) {
            try {
                Files.deleteIfExists(file);
                UploadMarker.delete(file);
            } catch (IOException e) {
                // Marked: never uploaded again; the next worker deletes it (EarlierRecordings.uploadedAndKept).
                LOG.warnf("recording %s: deleting uploaded %s: %s", output, LoggedFile.name(file), LoggedFile.why(e));
            }
        }
    }

    String keyOf(Path file) {
        return (upload.prefix == null ? "" : upload.prefix) + file.getFileName();
    }

    private void uploadWithRetries(Path file, String key) {
        long backoff = firstBackoffMs;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            set(file, WorkerReport.FileUpload.UPLOADING, attempt, null);
            try {
                long size = Files.size(file);
                String etag;
                if (size <= partSize) {
                    etag = s3.putObject(r -> r.bucket(upload.bucket).key(key).contentType(contentType(file)), RequestBody.fromFile(file))
                            .eTag();
                } else {
                    etag = multipart(file, key, size);
                }
                LOG.infof("recording %s: uploaded %s (%d bytes) to bucket %s", output, LoggedFile.name(file), size, upload.bucket);
                done(file, key, etag, size, attempt, null);
                return;
            } catch (IOException | RuntimeException e) {
                String why = redact(e.getClass().getSimpleName() + ": " + e.getMessage());
                boolean last = attempt == ATTEMPTS;
                set(file, last ? WorkerReport.FileUpload.FAILED : WorkerReport.FileUpload.PENDING, attempt, why);
                LOG.warnf("recording %s: upload of %s, attempt %d of %d: %s", output, LoggedFile.name(file), attempt, ATTEMPTS, why);
                if (last) {
                    return;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    set(file, WorkerReport.FileUpload.FAILED, attempt, "stopped before the upload succeeded");
                    return;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    private String multipart(Path file, String key, long size) throws IOException {
        String id = s3.createMultipartUpload(r -> r.bucket(upload.bucket).key(key).contentType(contentType(file))).uploadId();
        try (InputStream in = Files.newInputStream(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buf = new byte[partSize];
            int number = 1;
            for (long sent = 0; sent < size; number++) {
                int n = in.readNBytes(buf, 0, (int) Math.min(partSize, size - sent));
                if (n <= 0) {
                    throw new IOException(file.getFileName() + " is shorter than when the upload began");
                }
                int partNumber = number;
                String etag = s3.uploadPart(r -> r.bucket(upload.bucket).key(key).uploadId(id).partNumber(partNumber)
                        .contentLength((long) n), RequestBody.fromInputStream(new ByteArrayInputStream(buf, 0, n), n)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                sent += n;
            }
            return s3.completeMultipartUpload(r -> r.bucket(upload.bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)))
                    .eTag();
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(upload.bucket).key(key).uploadId(id));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    private static String contentType(Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".mp4") || n.endsWith(".m4a")) {
            return n.endsWith(".m4a") ? "audio/mp4" : "video/mp4";
        }
        if (n.endsWith(".mkv")) {
            return "video/x-matroska";
        }
        if (n.endsWith(".mp3")) {
            return "audio/mpeg";
        }
        return n.endsWith(".flv") ? "video/x-flv" : "application/octet-stream";
    }

    /** SDK messages do not carry the secret key, but some servers echo the access key id: take both out. */
    private String redact(String s) {
        if (s == null) {
            return null;
        }
        String r = s;
        for (String secret : new String[] {credentials.accessKeyId(), credentials.secretAccessKey()}) {
            if (secret != null && !secret.isEmpty()) {
                r = r.replace(secret, "<redacted>");
            }
        }
        return r.length() > 300 ? r.substring(0, 300) + "..." : r;
    }

    private synchronized void set(Path file, String state, int attempts, String reason) {
        WorkerReport.FileUpload old = states.get(file);
        states.put(file, new WorkerReport.FileUpload(file.toString(), state, old.object(), attempts, reason));
    }

    public synchronized List<WorkerReport.FileUpload> states() {
        return List.copyOf(states.values());
    }

    /** Waits up to {@code millis} for the queued uploads to finish, then stops. */
    public void drain(long millis) {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                LOG.warnf("recording %s: uploads still running after %d ms; left unfinished", output, millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        s3.close();
    }
}
