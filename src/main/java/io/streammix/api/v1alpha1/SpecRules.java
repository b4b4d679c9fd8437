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
            "!has(self.recording) || (has(self.url) && (!self.url.contains('://') || self.url.matches('^[fF][iI][lL][eE]://')))";

    /*
     * Audio-only files (the table is io.streammix.api.validation.AudioOnlyFile; AudioOnlyFileRulesTest holds these
     * rules to it and to the worker's reading of URLs). A literal url names such a file when it is a path ending with
     * the extension, or a file:// URL whose path part (before ?query or #fragment) does; any case, trailing slashes
     * dropped, as the worker reads it. Letters are spelled as [xX] classes rather than (?i), whose Unicode folding
     * (s matching U+017F) the worker's toLowerCase does not do. urlFrom and streamId outputs are not known here: the
     * worker refuses those at run time.
     *
     * matches() finds the pattern anywhere (RE2 partial match), hence the explicit ^ and $.
     *
     * Cost: url has maxLength 2048 and outputs maxItems 8; each rule makes at most one matches() on url with a short
     * pattern, linear in the url for RE2, far inside the API server's per-rule and per-CRD budgets.
     */
    private static final String FILE_URL_A = "(has(self.url) && (self.url.contains('://') ? "
            + "self.url.matches('^[fF][iI][lL][eE]://[^?#]*[.](";
    private static final String FILE_URL_B = ")/*([?#]|$)') : self.url.matches('[.](";
    private static final String FILE_URL_C = ")/*$')))";
    private static final String ANY_AUDIO_ONLY = "[mM]4[aA]|[mM][pP]3|[oO][gG][gG]|[oO][gG][aA]|[oO][pP][uU][sS]";
    private static final String MP3 = "[mM][pP]3";
    private static final String OGG_OPUS = "[oO][gG][gG]|[oO][gG][aA]|[oO][pP][uU][sS]";
    private static final String M4A = "[mM]4[aA]";
    private static final String NO_CODEC_OR = "!has(self.audio) || !has(self.audio.codec) || ";

    /** No picture in an audio-only file (start-mix's 1x1 audio-only recipe is not a picture). */
    public static final String AUDIO_ONLY_FILE_NO_VIDEO = "!has(self.video) || self.video.width <= 1 || self.video.height <= 1 || !"
            + FILE_URL_A + ANY_AUDIO_ONLY + FILE_URL_B + ANY_AUDIO_ONLY + FILE_URL_C;
    public static final String AUDIO_ONLY_FILE_NO_VIDEO_MESSAGE = "spec.outputs[].video: a .m4a, .mp3, .ogg or .opus file "
            + "holds audio only; remove video (or give it width and height 1) or use a video container (.mp4, .mkv, .flv, .ts)";

    public static final String MP3_HOLDS_MP3 = NO_CODEC_OR + "self.audio.codec == 'MP3' || !"
            + FILE_URL_A + MP3 + FILE_URL_B + MP3 + FILE_URL_C;
    public static final String MP3_HOLDS_MP3_MESSAGE = "spec.outputs[].audio.codec: a .mp3 file holds MP3 audio only";

    public static final String OGG_HOLDS_OPUS = NO_CODEC_OR + "self.audio.codec == 'OPUS' || !"
            + FILE_URL_A + OGG_OPUS + FILE_URL_B + OGG_OPUS + FILE_URL_C;
    public static final String OGG_HOLDS_OPUS_MESSAGE = "spec.outputs[].audio.codec: a .ogg or .opus file holds OPUS audio only";

    public static final String M4A_HOLDS_AAC = NO_CODEC_OR + "self.audio.codec in ['AAC_LC', 'HE_AAC'] || !"
            + FILE_URL_A + M4A + FILE_URL_B + M4A + FILE_URL_C;
    public static final String M4A_HOLDS_AAC_MESSAGE = "spec.outputs[].audio.codec: a .m4a file holds AAC_LC audio only "
            + "(HE_AAC is accepted and encoded as AAC-LC)";

    /** A claim must not hide the worker's own mounts (its Secret, its scratch space, its jar) or the whole filesystem. */
    public static final String MOUNT_PATH_FREE = "!has(self.mountPath) || (self.mountPath != '/' && !["
            + "'/etc/mixtask', '/scratch', '/deployments'].exists(p, self.mountPath == p || self.mountPath.startsWith(p + '/')))";

    public static final String UNIQUE_VOLUME_NAMES = UNIQUE_INPUT_NAMES;
}
