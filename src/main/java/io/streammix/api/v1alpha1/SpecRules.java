package io.streammix.api.v1alpha1;

/**
 * The CEL rules of the CRD ({@code x-kubernetes-validations}), kept as constants so that the model
 * annotations, the Java validator's tests and the docs all name the same text.
 *
 * <p>Every rule has a twin in {@link io.streammix.api.validation.SpecValidator}; one table of test
 * cases drives both. Rules stay within the CEL subset the Kubernetes API server and cel-java share
 * (macros, has(), size(), matches(), bytes()), and lists have maxItems so the API server's cost
 * estimate stays bounded.
 */
public final class SpecRules {
    private SpecRules() {
    }

    /** The canvas is the first output whose video is more than 1x1 (start-mix's audio-only recipe is 1x1). */
    static final String HAS_CANVAS = "self.outputs.exists(o, has(o.video) && o.video.width > 1 && o.video.height > 1)";
    static final String CANVAS = "self.outputs.filter(o, has(o.video) && o.video.width > 1 && o.video.height > 1)[0].video";

    public static final String INPUTS_INSIDE_CANVAS = "!(" + HAS_CANVAS + ") || self.inputs.all(i, i.rect.right <= "
            + CANVAS + ".width && i.rect.bottom <= " + CANVAS + ".height)";

    public static final String WATERMARK_INSIDE_CANVAS = "!has(self.watermark) || !(" + HAS_CANVAS + ") || "
            + "(self.watermark.rect.right <= " + CANVAS + ".width && self.watermark.rect.bottom <= " + CANVAS + ".height)";

    public static final String BYPASS_ONE_INPUT = "!has(self.bypass) || !self.bypass || size(self.inputs) == 1";

    public static final String UNIQUE_INPUT_NAMES = "self.all(a, !has(a.name) || self.exists_one(b, has(b.name) && b.name == a.name))";
    public static final String UNIQUE_INPUT_STREAM_IDS =
            "self.all(a, !has(a.streamId) || self.exists_one(b, has(b.streamId) && b.streamId == a.streamId))";
    public static final String UNIQUE_OUTPUT_NAMES = UNIQUE_INPUT_NAMES;
    public static final String UNIQUE_OUTPUT_STREAM_IDS = UNIQUE_INPUT_STREAM_IDS;

    public static final String USER_DATA_BYTES = "size(bytes(self)) <= 1000";

    public static final String ONE_SOURCE = "(has(self.streamId) ? 1 : 0) + (has(self.url) ? 1 : 0) + (has(self.urlFrom) ? 1 : 0) == 1";

    public static final String RECT_ORDERED = "self.left < self.right && self.top < self.bottom";

    public static final String RECT_EVEN = "self.left % 2 == 0 && self.top % 2 == 0 && self.right % 2 == 0 && self.bottom % 2 == 0";

    /** Rotation and upload are for file outputs: a url that is a path or a file:// URL. */
    public static final String RECORDING_ON_FILE =
            "!has(self.recording) || (has(self.url) && (!self.url.contains('://') || self.url.startsWith('file://')))";

    /** A claim must not hide the worker's own mounts (its Secret, its scratch space, its jar) or the whole filesystem. */
    public static final String MOUNT_PATH_FREE = "!has(self.mountPath) || (self.mountPath != '/' && !["
            + "'/etc/mixtask', '/scratch', '/deployments'].exists(p, self.mountPath == p || self.mountPath.startsWith(p + '/')))";

    public static final String UNIQUE_VOLUME_NAMES = UNIQUE_INPUT_NAMES;
}
