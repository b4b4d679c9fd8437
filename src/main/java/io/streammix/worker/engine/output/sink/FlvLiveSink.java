package io.streammix.worker.engine.output.sink;

import io.streammix.worker.media.CallbackIo;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.Muxer;
import io.streammix.worker.playback.FlvBroadcaster;
import io.streammix.worker.playback.LiveStreams;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * An output published as live HTTP-FLV on the worker's media port. FFmpeg's flv muxer writes into a
 * {@link CallbackIo}: the bytes of its header are kept as the stream's header, and after every packet the buffered
 * bytes are flushed to the {@link FlvBroadcaster}, which fans them out to the clients.
 */
final class FlvLiveSink extends OutputSink {
    /** A client more than this far behind the live edge is dropped. */
    static final long MAX_CLIENT_LAG_NANOS = 5_000_000_000L;
    static final long MAX_CLIENT_BYTES = 16L << 20;

    private final String key;
    private final LiveStreams streams;
    private CallbackIo io;
    private FlvBroadcaster broadcaster;

    FlvLiveSink(String key, LiveStreams streams) {
        this.key = key;
        this.streams = streams;
    }

    @Override
    public String safeName() {
        return "HTTP-FLV /live/" + key + ".flv";
    }

    /** {@inheritDoc} */
    @Override
    public String kind() {
        return "flv";
    }

    @Override
    public String format() {
        return "flv";
    }

    @Override
    boolean network() {
        return false;
    }

    @Override
    Muxer openMuxer(Muxer.Streams encoders, Interrupter interrupter, String output) {
        FlvBroadcaster b = new FlvBroadcaster(output, MAX_CLIENT_LAG_NANOS, MAX_CLIENT_BYTES);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        boolean[] inHeader = {true};
        CallbackIo cio = new CallbackIo(bytes -> {
            if (inHeader[0]) {
                header.writeBytes(bytes);
            } else {
                b.publish(bytes);
            }
        });
        Muxer m;
        try {
            // Not seekable: the muxer must not try to go back to write the duration and size.
            m = new Muxer("flv", cio.context(), encoders, Map.of("flvflags", "no_duration_filesize"), interrupter,
                    IO_TIMEOUT_MS, output);
        } catch (RuntimeException e) {
            cio.close();
            throw e;
        }
        cio.flush();
        inHeader[0] = false;
        b.header(header.toByteArray(), encoders.hasVideo());
        io = cio;
        broadcaster = b;
        streams.publishFlv(key, b);
        return m;
    }

    @Override
    void written() {
        io.flush();
    }

    @Override
    void closed() {
        if (io != null) {
            io.flush();
            broadcaster.end();
            streams.unpublishFlv(key, broadcaster);
            io.close();
            io = null;
        }
    }
}
