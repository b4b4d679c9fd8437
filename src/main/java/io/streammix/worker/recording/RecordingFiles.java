package io.streammix.worker.recording;

import io.streammix.worker.contract.WorkerReport;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The files of one recording output: which are finished (the segment muxer's list, or the one file once the
 * output stops), which one is being written, and, with an upload, hands each finished file to an
 * {@link S3FileUploader} once. Runs beside the output's encoding thread and never blocks it.
 */
public final class RecordingFiles implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RecordingFiles.class);
    private static final long POLL_MS = 500;

    private final RecordingPlan plan;
    private final String output;
    private final SegmentList list;
    private final S3FileUploader uploader;
    private final Set<Path> finished = new LinkedHashSet<>();
    private final ScheduledExecutorService poller;
    private volatile List<String> files = List.of();
    private boolean closed;

    /** Starts watching; {@code uploader} null when the recording is not uploaded. */
    public RecordingFiles(RecordingPlan plan, String output, S3FileUploader uploader) {
        this.plan = plan;
        this.output = output;
        this.uploader = uploader;
        this.list = plan.rotates() ? new SegmentList(plan.segmentList(), plan.file().toAbsolutePath().getParent()) : null;
        if (list != null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "recording-" + output);
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::pollSafely, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
        } else {
            poller = null;
        }
        refresh();
    }

    /**
     * Starts watching {@code plan}, with an uploader when it has an upload. Called before the output's muxer
     * opens: with an upload, the files earlier workers left without an upload marker are queued first.
     */
    public static RecordingFiles start(RecordingPlan plan, String output) {
        S3FileUploader uploader = plan.upload() == null ? null : new S3FileUploader(plan.upload(), plan.credentials(), output);
        if (uploader != null) {
            queueEarlierFiles(plan, output, uploader);
        }
        return new RecordingFiles(plan, output, uploader);
    }

    /**
     * The upload backlog of earlier workers (stopped before their uploads finished, or killed): looked for on the
     * upload thread, queued before this run's first file finishes.
     */
    private static void queueEarlierFiles(RecordingPlan plan, String output, S3FileUploader uploader) {
        try {
            EarlierRecordings.keepSingleFile(plan); // now: the muxer about to open would overwrite it
        } catch (RuntimeException e) {
            LOG.warnf("recording %s: keeping the earlier recording: %s", output, e.getMessage());
        }
        uploader.submitEarlier(() -> {
            if (plan.upload().deleteAfterUploadOrDefault()) {
                for (Path p : EarlierRecordings.uploadedAndKept(plan)) {
                    try {
                        Files.deleteIfExists(p);
                        UploadMarker.delete(p);
                    } catch (java.io.IOException e) {
                        LOG.warnf("recording %s: deleting uploaded %s: %s", output, LoggedFile.name(p), LoggedFile.why(e));
                    }
                }
            }
            List<Path> earlier = EarlierRecordings.notUploaded(plan);
            if (!earlier.isEmpty()) {
                LOG.infof("recording %s: %d file(s) of earlier runs not uploaded yet; queued", output, earlier.size());
            }
            return earlier;
        });
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warnf("recording %s: reading the list of finished files: %s", output, e.getMessage());
        }
    }

    private synchronized void poll() {
        for (Path p : list.finished()) {
            finish(p);
        }
        refresh();
    }

    private synchronized void finish(Path p) {
        if (finished.add(p)) {
            LOG.infof("recording %s: finished %s", output, LoggedFile.name(p));
            if (uploader != null) {
                uploader.submit(p);
            }
        }
    }

    /** Finished files, then the file being written (named as soon as the output starts: it may not exist yet). */
    private synchronized void refresh() {
        List<String> l = new ArrayList<>();
        finished.forEach(p -> l.add(p.toString()));
        Path current = current();
        if (!closed && !finished.contains(current)) {
            l.add(current.toString());
        }
        files = List.copyOf(l);
    }

    private Path current() {
        return plan.rotates() ? plan.fileNumber(finished.size()) : plan.file();
    }

    /**
     * Called once the muxer is closed (its last file complete): that file counts as finished and is
     * uploaded; waits up to {@code uploadMillis} for the uploads still running.
     */
    public void outputClosed(long uploadMillis) {
        if (poller != null) {
            poller.shutdownNow();
        }
        synchronized (this) {
            closed = true;
            try {
                if (list != null) {
                    list.finished().forEach(this::finish);
                } else if (Files.exists(plan.file())) {
                    finish(plan.file());
                }
            } catch (RuntimeException e) {
                // Never in the way of the output releasing its encoders.
                LOG.warnf("recording %s: listing the last files: %s", output, e.getMessage());
            }
            refresh();
        }
        if (uploader != null) {
            uploader.drain(uploadMillis);
        }
    }

    /** Finished files, then the one being written. */
    public List<String> files() {
        refresh();
        return files;
    }

    /** Upload states, null without upload. */
    public List<WorkerReport.FileUpload> uploads() {
        return uploader == null ? null : uploader.states();
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
            try {
                Files.deleteIfExists(plan.segmentList());
            } catch (java.io.IOException e) {
                LOG.debugf("recording %s: %s", output, e.getMessage());
            }
        }
        if (uploader != null) {
            uploader.close();
        }
    }
}
