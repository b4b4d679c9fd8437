package io.streammix.worker.engine;

import io.streammix.worker.media.Encoder;
import io.streammix.worker.media.Interrupter;
import io.streammix.worker.media.Muxer;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** An output's packets muxed to a URL (RTMP, SRT) or a file, as {@link OutputTarget} says. */
class UrlSink extends OutputSink {
    final OutputTarget target;

    UrlSink(OutputTarget target) {
        this.target = target;
    }

    @Override
    String safeName() {
        return target.safeName();
    }

    @Override
    String format() {
        return target.format();
    }

    @Override
    boolean network() {
        return target.network();
    }

    @Override
    Muxer openMuxer(List<Encoder> encoders, Interrupter interrupter, String output) throws IOException {
        if (target.file() != null && target.file().toAbsolutePath().getParent() != null) {
            Files.createDirectories(target.file().toAbsolutePath().getParent());
        }
        return new Muxer(target.format(), target.url(), encoders, target.muxerOptions(), interrupter, IO_TIMEOUT_MS, output);
    }

    @Override
    List<String> files() {
        return target.file() == null ? null : List.of(target.file().toString());
    }
}
