package io.streammix.api.validation;

import io.streammix.api.v1alpha1.ExtraParam;
import io.streammix.api.v1alpha1.LossDisplay;
import io.streammix.api.v1alpha1.LossPolicy;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.S3Upload;
import io.streammix.api.v1alpha1.SpecRules;
import io.streammix.api.v1alpha1.ValueFrom;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.api.v1alpha1.WorkerVolume;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The admission rules of the CRD (OpenAPI schema and CEL rules), in Java, for the operator and the
 * worker to check specs that got past an older API server, or came through another door (the local
 * run, the start-mix compatibility API). One table of cases in the tests drives this class and the
 * generated CRD, so the two cannot drift apart.
 *
 * <p>Messages name the field path and the rule, as the API server's would.
 */
public final class SpecValidator extends ViolationList {
    static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    static final Pattern COLOR = Pattern.compile("^#[0-9A-Fa-f]{6}$");
    static final Pattern ENDPOINT = Pattern.compile("^https?://[^\\s]+$");
    static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
    static final Pattern REGION = Pattern.compile("^[a-z0-9-]{1,32}$");
    static final Pattern VOLUME_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,57}[a-z0-9])?$");
    static final Pattern CLAIM = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
    static final Pattern MOUNT_PATH = Pattern.compile("^/[A-Za-z0-9._/-]*$");
    static final List<String> RESERVED_MOUNTS = List.of("/etc/mixtask", "/scratch", "/deployments");
    static final long MAX_SOUND_LEVEL_ID = 4294967295L;

    private SpecValidator(boolean filesUnderVolumes) {
        this.filesUnderVolumes = filesUnderVolumes;
    }

    private final boolean filesUnderVolumes;

    /** All rules the CRD enforces at admission; an empty list when the spec passes. */
    public static List<Violation> validate(MixTaskSpec spec) {
        return validate(spec, true);
    }

    /**
     * The admission rules but the one on where files lie ({@link SpecRules#INPUT_FILES_IN_VOLUMES} and siblings): for runs
     * outside a worker pod (the local run, tests), where the task's volumes mean nothing. The worker confines files
     * itself in a pod ({@code worker.engine.FileAccess}).
     */
    public static List<Violation> validateAnyFiles(MixTaskSpec spec) {
        return validate(spec, false);
    }

    private static List<Violation> validate(MixTaskSpec spec, boolean filesUnderVolumes) {
        SpecValidator v = new SpecValidator(filesUnderVolumes);
        if (spec == null) {
            v.fail("spec", "is required");
            return v.violations;
        }
        v.check(spec);
        return List.copyOf(v.violations);
    }

    private void check(MixTaskSpec spec) {
        if (spec.roomId != null && spec.roomId.length() > 128) {
            fail("spec.roomId", "must be at most 128 characters");
        }
        if (spec.seq != null && spec.seq < 0) {
            fail("spec.seq", "must be >= 0");
        }
        checkInputs(spec.inputs);
        checkOutputs(spec.outputs);
        if (spec.background != null) {
            if (spec.background.color != null && !COLOR.matcher(spec.background.color).matches()) {
                fail("spec.background.color", "must be #RRGGBB (six hexadecimal digits)");
            }
            length("spec.background.image", spec.background.image, 1, 2048);
            url("spec.background.image", spec.background.image, UrlPolicy.Use.IMAGE);
        }
        if (spec.watermark != null) {
            if (spec.watermark.image == null) {
                fail("spec.watermark.image", "is required");
            }
            length("spec.watermark.image", spec.watermark.image, 1, 2048);
            url("spec.watermark.image", spec.watermark.image, UrlPolicy.Use.IMAGE);
            if (spec.watermark.rect == null) {
                fail("spec.watermark.rect", "is required");
            } else {
                checkRect("spec.watermark.rect", spec.watermark.rect);
                Rect r = spec.watermark.rect;
                if (r.left != null && r.top != null && r.right != null && r.bottom != null
                        && (r.left % 2 != 0 || r.top % 2 != 0 || r.right % 2 != 0 || r.bottom % 2 != 0)) {
                    fail("spec.watermark.rect", "top, left, bottom and right must be even numbers");
                }
            }
        }
        if (spec.userData != null) {
            length("spec.userData", spec.userData, 1, 1000);
            if (spec.userData.getBytes(StandardCharsets.UTF_8).length > 1000) {
                fail("spec.userData", "must be at most 1000 bytes when encoded as UTF-8");
            }
        }
        if (Boolean.TRUE.equals(spec.bypass) && spec.inputs != null && spec.inputs.size() != 1) {
            fail("spec.bypass", "bypass needs exactly one input");
        }
        if (spec.extraParams != null) {
            count("spec.extraParams", spec.extraParams.size(), 0, 16);
            for (int i = 0; i < spec.extraParams.size(); i++) {
                ExtraParam p = spec.extraParams.get(i);
                String at = "spec.extraParams[" + i + "]";
                if (p.key == null) {
                    fail(at + ".key", "is required");
                }
                if (p.value == null) {
                    fail(at + ".value", "is required");
                }
                length(at + ".key", p.key, 1, 64);
                length(at + ".value", p.value, 0, 256);
            }
        }
        checkCanvas(spec);
        if (spec.worker != null) {
            length("spec.worker.image", spec.worker.image, 0, 1024);
            length("spec.worker.priorityClassName", spec.worker.priorityClassName, 0, 253);
            if (spec.worker.volumes != null) {
                checkVolumes(spec.worker.volumes);
            }
        }
        if (filesUnderVolumes) {
            checkFilesInVolumes(spec);
        }
    }

    /** Twin of the URL rules of {@link SpecRules} (scheme, plain path, safe): see {@link UrlPolicy}. */
    private void url(String at, String url, UrlPolicy.Use use) {
        String why = UrlPolicy.refusal(url, use);
        if (why != null) {
            fail(at, why);
        }
    }

    /** Twin of {@link SpecRules#INPUT_FILES_IN_VOLUMES} and its siblings. */
    private void checkFilesInVolumes(MixTaskSpec spec) {
        List<String> mounts = spec.worker == null || spec.worker.volumes == null ? List.of()
                : spec.worker.volumes.stream().filter(v -> v != null && v.mountPath != null).map(v -> v.mountPath).toList();
        String rule = "an absolute file path must lie under the mountPath of one of spec.worker.volumes";
        for (int i = 0; spec.inputs != null && i < spec.inputs.size(); i++) {
            MixInput in = spec.inputs.get(i);
            if (in != null && !UrlPolicy.absoluteFileUnder(in.url, mounts)) {
                fail("spec.inputs[" + i + "].url", rule);
            }
            if (in != null && in.onLoss != null && !UrlPolicy.absoluteFileUnder(in.onLoss.image, mounts)) {
                fail("spec.inputs[" + i + "].onLoss.image", rule);
            }
        }
        for (int i = 0; spec.outputs != null && i < spec.outputs.size(); i++) {
            MixOutput out = spec.outputs.get(i);
            if (out != null && !UrlPolicy.absoluteFileUnder(out.url, mounts)) {
                fail("spec.outputs[" + i + "].url", rule);
            }
        }
        if (spec.background != null && !UrlPolicy.absoluteFileUnder(spec.background.image, mounts)) {
            fail("spec.background.image", rule);
        }
        if (spec.watermark != null && !UrlPolicy.absoluteFileUnder(spec.watermark.image, mounts)) {
            fail("spec.watermark.image", rule);
        }
    }

    /** Twin of {@link SpecRules#RECORDING_ON_FILE} and the schema of {@code recording}. */
    private void checkRecording(String at, MixOutput out) {
        if (out.url == null || (out.url.contains("://") && !out.url.toLowerCase(java.util.Locale.ROOT).startsWith("file://"))) {
            fail(at + ".recording", "only for outputs whose url is a file path or file:// URL");
        }
        range(at + ".recording.rotateAfterSeconds", out.recording.rotateAfterSeconds, 2, 86400);
        range(at + ".recording.rotateAfterBytes", out.recording.rotateAfterBytes, 1L << 18, 1L << 40);
        S3Upload u = out.recording.upload;
        if (u == null) {
            return;
        }
        String up = at + ".recording.upload";
        pattern(up + ".endpoint", u.endpoint, ENDPOINT, "must be an http:// or https:// URL");
        length(up + ".endpoint", u.endpoint, 0, 2048);
        required(up + ".bucket", u.bucket);
        pattern(up + ".bucket", u.bucket, BUCKET, "must be 3 to 63 lower-case letters, digits, dots and hyphens");
        length(up + ".prefix", u.prefix, 0, 512);
        pattern(up + ".region", u.region, REGION, "must be 1 to 32 lower-case letters, digits and hyphens");
        secretRef(up + ".accessKeyFrom", u.accessKeyFrom);
        secretRef(up + ".secretKeyFrom", u.secretKeyFrom);
    }

    private void secretRef(String at, ValueFrom from) {
        if (from == null) {
            fail(at, "is required");
        } else if (from.secretKeyRef == null || from.secretKeyRef.getName() == null || from.secretKeyRef.getKey() == null) {
            fail(at + ".secretKeyRef", "name and key are required");
        }
    }

    /** Twin of the schema of {@code spec.worker.volumes} and {@link SpecRules#MOUNT_PATH_FREE}. */
    private void checkVolumes(List<WorkerVolume> volumes) {
        count("spec.worker.volumes", volumes.size(), 0, 4);
        for (int i = 0; i < volumes.size(); i++) {
            WorkerVolume v = volumes.get(i);
            String at = "spec.worker.volumes[" + i + "]";
            required(at + ".name", v.name);
            pattern(at + ".name", v.name, VOLUME_NAME, "must be a DNS label of at most 59 characters");
            required(at + ".claimName", v.claimName);
            pattern(at + ".claimName", v.claimName, CLAIM, "must be a DNS subdomain name");
            required(at + ".mountPath", v.mountPath);
            pattern(at + ".mountPath", v.mountPath, MOUNT_PATH, "must be an absolute path of letters, digits, '.', '_', '-' and '/'");
            length(at + ".mountPath", v.mountPath, 0, 256);
            if (v.mountPath != null && (v.mountPath.equals("/") || RESERVED_MOUNTS.stream()
                    .anyMatch(p -> v.mountPath.equals(p) || v.mountPath.startsWith(p + "/")))) {
                fail(at, "mountPath: must not be /, nor under /etc/mixtask, /scratch or /deployments (the worker's own)");
            }
        }
        unique("spec.worker.volumes[].name", "names must be unique", volumes, v -> v.name);
    }

    private void checkInputs(List<MixInput> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            fail("spec.inputs", "at least one input is required");
            return;
        }
        count("spec.inputs", inputs.size(), 1, 25);
        for (int i = 0; i < inputs.size(); i++) {
            MixInput in = inputs.get(i);
            String at = "spec.inputs[" + i + "]";
            source(at, in.streamId, in.url, in.urlFrom != null);
            name(at + ".name", in.name);
            length(at + ".streamId", in.streamId, 1, 256);
            length(at + ".url", in.url, 1, 2048);
            url(at + ".url", in.url, UrlPolicy.Use.INPUT);
            if (in.urlFrom != null && (in.urlFrom.secretKeyRef == null || in.urlFrom.secretKeyRef.getName() == null
                    || in.urlFrom.secretKeyRef.getKey() == null)) {
                fail(at + ".urlFrom.secretKeyRef", "name and key are required");
            }
            if (in.rect == null) {
                fail(at + ".rect", "is required");
            } else {
                checkRect(at + ".rect", in.rect);
            }
            range(at + ".volume", in.volume, 0, 200);
            range(at + ".soundLevelId", in.soundLevelId, 0, MAX_SOUND_LEVEL_ID);
            checkLoss(at + ".onLoss", in.onLoss);
        }
        unique("spec.inputs[].name", "names must be unique", inputs, i -> i.name);
        unique("spec.inputs[].streamId", "stream ids must be unique", inputs, i -> i.streamId);
    }

    /** Twin of the schema of {@code onLoss} and {@link SpecRules#LOSS_IMAGE_WITH_IMAGE} and the image URL rules. */
    private void checkLoss(String at, LossPolicy loss) {
        if (loss == null) {
            return;
        }
        range(at + ".holdLastFrameMillis", loss.holdLastFrameMillis, 0, 60_000);
        boolean wantsImage = loss.then == LossDisplay.Image;
        if (wantsImage != (loss.image != null)) {
            fail(at + ".image", wantsImage ? "is required when then is Image"
                    : "is only allowed when then is Image (then defaults to Background)");
        }
        length(at + ".image", loss.image, 1, 2048);
        url(at + ".image", loss.image, UrlPolicy.Use.IMAGE);
    }

    private void checkOutputs(List<MixOutput> outputs) {
        if (outputs == null || outputs.isEmpty()) {
            fail("spec.outputs", "at least one output is required");
            return;
        }
        count("spec.outputs", outputs.size(), 1, 8);
        for (int i = 0; i < outputs.size(); i++) {
            MixOutput out = outputs.get(i);
            String at = "spec.outputs[" + i + "]";
            source(at, out.streamId, out.url, out.urlFrom != null);
            name(at + ".name", out.name);
            length(at + ".streamId", out.streamId, 1, 256);
            length(at + ".url", out.url, 1, 2048);
            url(at + ".url", out.url, UrlPolicy.Use.OUTPUT);
            VideoEncoding v = out.video;
            if (v != null) {
                required(at + ".video.width", v.width);
                required(at + ".video.height", v.height);
                required(at + ".video.fps", v.fps);
                required(at + ".video.bitrate", v.bitrate);
                range(at + ".video.width", v.width, 1, 4096);
                range(at + ".video.height", v.height, 1, 4096);
                range(at + ".video.fps", v.fps, 1, 60);
                range(at + ".video.bitrate", v.bitrate, 1, 10_000_000);
                range(at + ".video.quality", v.quality, 0, 51);
            }
            if (out.audio != null) {
                range(at + ".audio.bitrate", out.audio.bitrate, 10_000, 192_000);
                range(at + ".audio.channels", out.audio.channels, 1, 2);
            }
            if (out.recording != null) {
                checkRecording(at, out);
            }
            checkAudioOnlyFile(at, out);
        }
        unique("spec.outputs[].name", "names must be unique", outputs, o -> o.name);
        unique("spec.outputs[].streamId", "stream ids must be unique", outputs, o -> o.streamId);
    }

    /**
     * Twin of {@link SpecRules#AUDIO_ONLY_FILE_NO_VIDEO}, {@link SpecRules#MP3_HOLDS_MP3}, {@link SpecRules#OGG_HOLDS_OPUS}
     * and {@link SpecRules#M4A_HOLDS_AAC}, in the worker's words (the worker refuses the same at run time, for URLs
     * admission cannot read: Secret values, percent-escaped names).
     */
    private void checkAudioOnlyFile(String at, MixOutput out) {
        AudioOnlyFile file = AudioOnlyFile.ofUrl(out.url);
        if (file == null) {
            return;
        }
        if (out.hasVideo()) {
            fail(at + ".video", file.noVideoRule());
        }
        if (out.audio != null && out.audio.codec != null && !file.holds(out.audio.codec)) {
            fail(at + ".audio.codec", file.codecRule(out.audio.codec));
        }
    }

    /** Rects are in pixels of the canvas: the first output with a picture. */
    private void checkCanvas(MixTaskSpec spec) {
        VideoEncoding canvas = canvasOf(spec);
        if (canvas == null) {
            return;
        }
        if (spec.inputs != null) {
            for (int i = 0; i < spec.inputs.size(); i++) {
                Rect r = spec.inputs.get(i).rect;
                if (r != null && r.right != null && r.bottom != null && (r.right > canvas.width || r.bottom > canvas.height)) {
                    fail("spec.inputs[" + i + "].rect", "right must be <= and bottom must be <= the layout canvas, which is "
                            + "the width x height of the first video output (" + canvas.width + "x" + canvas.height + ")");
                }
            }
        }
        if (spec.watermark != null && spec.watermark.rect != null) {
            Rect r = spec.watermark.rect;
            if (r.right != null && r.bottom != null && (r.right > canvas.width || r.bottom > canvas.height)) {
                fail("spec.watermark.rect", "right must be <= and bottom must be <= the layout canvas, which is "
                        + "the width x height of the first video output (" + canvas.width + "x" + canvas.height + ")");
            }
        }
    }

    /** The layout canvas: the video settings of the first output that has a picture, or null when all are audio-only. */
    public static VideoEncoding canvasOf(MixTaskSpec spec) {
        if (spec.outputs == null) {
            return null;
        }
        return spec.outputs.stream().filter(MixOutput::hasVideo).map(o -> o.video).findFirst().orElse(null);
    }

    private void checkRect(String at, Rect r) {
        range(at + ".layer", r.layer, 0, 100);
        required(at + ".top", r.top);
        required(at + ".left", r.left);
        required(at + ".bottom", r.bottom);
        required(at + ".right", r.right);
        if (r.top == null || r.left == null || r.bottom == null || r.right == null) {
            return;
        }
        range(at + ".top", r.top, 0, 8192);
        range(at + ".left", r.left, 0, 8192);
        range(at + ".bottom", r.bottom, 0, 8192);
        range(at + ".right", r.right, 0, 8192);
        if (r.left >= r.right || r.top >= r.bottom) {
            fail(at, "left must be less than right and top less than bottom");
        }
    }
}
