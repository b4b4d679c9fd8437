package io.streammix.worker.playback;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A chunked Vert.x response as a blocking stream, for {@link FlvBroadcaster#stream}: a write waits while the
 * connection's write queue is full, so a player that reads slowly backs up into the broadcaster's per-client queue
 * (which drops it past its lag) instead of into unbounded memory. Written from one streaming thread.
 */
final class ResponseStream extends OutputStream {
    private final HttpServerResponse response;

    ResponseStream(HttpServerResponse response) {
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (response.closed() || response.ended()) {
            throw new IOException("client went away");
        }
        response.write(Buffer.buffer().appendBytes(b, off, len));
        while (response.writeQueueFull()) {
            if (response.closed()) {
                throw new IOException("client went away");
            }
            CountDownLatch drained = new CountDownLatch(1);
            response.drainHandler(v -> drained.countDown());
            if (!response.writeQueueFull()) {
                break;
            }
            try {
                drained.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new InterruptedIOException("dropped");
            }
        }
    }
}
