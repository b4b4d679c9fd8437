package io.streammix.worker.recording;

import io.streammix.worker.media.EgressFence;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.net.UnknownHostException;

/**
 * The S3 client's host checked by the worker's {@link EgressFence} before each request is sent (issue 21, finding 1):
 * the operator checks {@code recording.upload.endpoint} by text only, and a name may resolve to the pod itself, a
 * private service or the metadata address. Runs on the {@code upload-<output>} thread, for every attempt (retries
 * too). The SDK's HTTP client does not follow redirects, so the host of each request is the only host. Its
 * connection resolves the name again, so DNS rebinding is still the egress NetworkPolicy's to stop.
 */
final class EndpointFence implements ExecutionInterceptor {
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String host = context.httpRequest().host();
        try {
            EgressFence.current().resolve(host);
        } catch (EgressFence.Refused | IllegalArgumentException e) { // unparsable CIDRs refuse all
            throw SdkClientException.create("recording.upload.endpoint: refused: " + e.getMessage());
        } catch (UnknownHostException e) {
            // the client reports it in its own words
        }
    }
}
