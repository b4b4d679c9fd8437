package io.streammix.worker.recording;

import io.streammix.api.v1alpha1.S3Upload;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.media.EgressFence;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 21, finding 1 (S3): an upload endpoint whose host is outside the worker's egress fence (here 127.0.0.3, while
 * the fence allows 127.0.0.2 only) is refused before the S3 client connects; the listener there counts no connection.
 * Before, the worker's client connected to whatever the endpoint named.
 */
class EndpointFenceTest {
    @Test
    void anEndpointOutsideTheFenceIsNeverConnectedTo() throws Exception {
        AtomicInteger accepts = new AtomicInteger();
        try (AutoCloseable fence = EgressFence.replace(EgressFence.allowing("127.0.0.2/32"));
             ServerSocket internal = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.3"))) {
            Thread t = new Thread(() -> {
                while (!internal.isClosed()) {
                    try (Socket s = internal.accept()) {
                        accepts.incrementAndGet();
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            S3Upload upload = new S3Upload();
            upload.endpoint = "http://127.0.0.3:" + internal.getLocalPort();
            upload.bucket = "recordings";
            try (S3Client s3 = S3FileUploader.client(upload, new SpecSubmission.S3Credentials("AKIAEXAMPLE", "secret-key-1"))) {
                assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("recordings")))
                        .isInstanceOf(SdkClientException.class)
                        .hasMessageContaining("recording.upload.endpoint: refused: not allowed")
                        .hasMessageNotContaining("127.0.0.3");
            }
            assertThat(accepts).hasValue(0);
        }
    }
}
