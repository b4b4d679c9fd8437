package io.streammix.worker.engine.output;

import io.streammix.worker.engine.output.sink.OutputSink;
import io.streammix.worker.engine.output.sink.UrlSink;
import io.streammix.worker.recording.RecordingFiles;

import java.util.ArrayList;
import java.util.List;

/** What an output's sinks add up to in its status and figures: files written and reconnects. */
final class OutputStatus {
    private OutputStatus() {
    }

    /** The files the sinks wrote (null: none writes files); a recording lists the files it really wrote (rotated ones too), not its configured path. */
    static List<String> files(List<OutputSink> sinks, RecordingFiles r) {
        List<String> files = null;
        for (OutputSink sink : sinks) {
            List<String> f = r != null && sink instanceof UrlSink u && u.target().recording() != null ? r.files() : sink.files();
            if (f != null) {
                files = files == null ? new ArrayList<>() : files;
                files.addAll(f);
            }
        }
        return files;
    }

    /** Each sink counts its own reconnects (each has its own connection and backoff). */
    static long reconnects(List<OutputSink> sinks) {
        long n = 0;
        for (OutputSink sink : sinks) {
            n += sink.reconnects();
        }
        return n;
    }
}
