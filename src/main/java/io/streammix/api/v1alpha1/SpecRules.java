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
    /*
     * The URL policy (issue 13; io.streammix.api.validation.UrlPolicy is the Java twin, docs/security.md the why). One
     * set of regular expressions for inputs, outputs and images, written without quotes (backslashes only in \\[ and \\]) so that the same
     * text is a CEL raw string and a java.util.regex pattern (used with find(), as RE2's matches() is a partial match).
     * Cost: each rule makes at most two matches() on a url of maxLength 2048, linear in RE2; the volume rules iterate
     * inputs (25), outputs (8) and volumes (4) with startsWith only.
     */
    /** Any scheme prefix FFmpeg would read as a protocol (concat:, subfile:, data:, crypto+file:...). */
    public static final String RE_SCHEME = "^[A-Za-z][A-Za-z0-9+.-]*:";
    public static final String RE_INPUT_SCHEMES = "^(?i:rtmps?|https?|srt|rtsp|file|synthetic):";
    public static final String RE_OUTPUT_SCHEMES = "^(?i:rtmps?|srt|file):";
    public static final String RE_IMAGE_SCHEMES = "^(?i:https?|file):";
    /** A ".." path segment. */
    public static final String RE_DOT_DOT = "(^|/)([.]|%2[eE]){2}([/?#]|$)";
    /**
     * Hosts a worker must never be sent to: link-local (169.254/16, fe80::/10: the cloud metadata services live there),
     * other metadata addresses and names, the Kubernetes API server's names, and the numeric host forms (2852039166,
     * 0xA9FEA9FE, 0251.0376.0251.0376, 169.16689662) that resolvers read as those addresses.
     */
    public static final String RE_FORBIDDEN_HOST = "^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*@)?("
            + "169[.]254[.][0-9.]*|100[.]100[.]100[.]200|[0-9]+|[0-9]+[.][0-9]+|[0-9]+[.][0-9]+[.][0-9]+"
            + "|([0-9A-Fa-f]*[.])*(?i:0x)[0-9A-Fa-fXx.]*|([0-9]+[.])*0[0-9]+([.][0-9]+)*"
            + "|\\[(?i:fe[89ab][0-9a-f]):[^\\]]*\\]|\\[[^\\]]*169[.]254[.][^\\]]*\\]|\\[(?i:fd00:ec2::254)\\]"
            + "|(?i:metadata|metadata[.]google[.]internal|instance-data|kubernetes|kubernetes[.]default"
            + "|kubernetes[.]default[.]svc|kubernetes[.]default[.]svc[.][a-z0-9.-]*)[.]?"
            + ")([:/?#]|$)";

    /**
     * A network URL without "//" and a host after its scheme ({@code http:HOST/}, {@code http:/HOST/}, {@code http:///x}):
     * FFmpeg's URL splitter skips up to two slashes and connects to what follows, Java's URI sees no host (issue 21).
     */
    public static final String RE_NO_AUTHORITY = "^(?i:rtmps?|https?|srt|rtsp):(/?$|/?[^/]|///)";

    private static final String URL_SCHEME_IN = "!has(self.url) || !self.url.matches(r'" + RE_SCHEME + "') || self.url.matches(r'";
    public static final String INPUT_URL_SCHEME = URL_SCHEME_IN + RE_INPUT_SCHEMES + "')";
    public static final String INPUT_URL_SCHEME_MESSAGE = "spec.inputs[].url: the scheme must be rtmp, rtmps, http, https, srt, "
            + "rtsp, file or synthetic (FFmpeg pseudo-protocols such as concat:, subfile:, data: are refused)";
    public static final String OUTPUT_URL_SCHEME = URL_SCHEME_IN + RE_OUTPUT_SCHEMES + "')";
    public static final String OUTPUT_URL_SCHEME_MESSAGE = "spec.outputs[].url: the scheme must be rtmp, rtmps, srt or file";
    public static final String IMAGE_SCHEME = "!has(self.image) || !self.image.matches(r'" + RE_SCHEME + "') || self.image.matches(r'"
            + RE_IMAGE_SCHEMES + "')";
    public static final String BACKGROUND_IMAGE_SCHEME_MESSAGE = "spec.background.image: the scheme must be http, https or file";
    public static final String WATERMARK_IMAGE_SCHEME_MESSAGE = "spec.watermark.image: the scheme must be http, https or file";

    /** A path without a scheme names a file: no ':' in it (FFmpeg reads "subfile,,start,0,end,0,,:/etc/x" as a protocol). */
    public static final String URL_PLAIN_PATH = "!has(self.url) || self.url.matches(r'" + RE_SCHEME + "') || !self.url.contains(':')";
    public static final String IMAGE_PLAIN_PATH = "!has(self.image) || self.image.matches(r'" + RE_SCHEME + "') || !self.image.contains(':')";
    public static final String URL_SAFE = "!has(self.url) || !(self.url.matches(r'" + RE_DOT_DOT + "') || self.url.matches(r'"
            + RE_FORBIDDEN_HOST + "') || self.url.matches(r'" + RE_NO_AUTHORITY + "'))";
    public static final String IMAGE_SAFE = "!has(self.image) || !(self.image.matches(r'" + RE_DOT_DOT + "') || self.image.matches(r'"
            + RE_FORBIDDEN_HOST + "') || self.image.matches(r'" + RE_NO_AUTHORITY + "'))";
    public static final String PLAIN_PATH_MESSAGE_TAIL = ": a path without a scheme must not contain ':' (FFmpeg would read a "
            + "protocol such as subfile,...: in it)";
    public static final String SAFE_MESSAGE_TAIL = ": no '..' path segments, and no link-local, cloud-metadata or Kubernetes "
            + "API server host (169.254.0.0/16, fe80::/10, metadata, kubernetes.default...), nor numeric host forms other than "
            + "dotted decimal; a network URL must be scheme://host...";

    /** Absolute file paths (plain, or file:// and FILE://) must lie under a volume of spec.worker.volumes. */
    private static final String UNDER_VOLUME_A = "(!(";
    private static final String UNDER_VOLUME_B = ".startsWith('/') || ";
    private static final String UNDER_VOLUME_C = ".matches(r'^(?i:file):')) || (has(self.worker) && has(self.worker.volumes) && "
            + "self.worker.volumes.exists(v, ";
    private static final String UNDER_VOLUME_D = ".startsWith(v.mountPath + '/') || ";
    private static final String UNDER_VOLUME_E = ".startsWith('file://' + v.mountPath + '/') || ";
    private static final String UNDER_VOLUME_F = ".startsWith('FILE://' + v.mountPath + '/'))))";
    public static final String INPUT_FILES_IN_VOLUMES = "self.inputs.all(i, !has(i.url) || " + UNDER_VOLUME_A + "i.url" + UNDER_VOLUME_B
            + "i.url" + UNDER_VOLUME_C + "i.url" + UNDER_VOLUME_D + "i.url" + UNDER_VOLUME_E + "i.url" + UNDER_VOLUME_F + ")";
    public static final String OUTPUT_FILES_IN_VOLUMES = "self.outputs.all(o, !has(o.url) || " + UNDER_VOLUME_A + "o.url" + UNDER_VOLUME_B
            + "o.url" + UNDER_VOLUME_C + "o.url" + UNDER_VOLUME_D + "o.url" + UNDER_VOLUME_E + "o.url" + UNDER_VOLUME_F + ")";
    public static final String BACKGROUND_FILE_IN_VOLUMES = "!has(self.background) || !has(self.background.image) || "
            + UNDER_VOLUME_A + "self.background.image" + UNDER_VOLUME_B + "self.background.image" + UNDER_VOLUME_C
            + "self.background.image" + UNDER_VOLUME_D + "self.background.image" + UNDER_VOLUME_E + "self.background.image"
            + UNDER_VOLUME_F;
    public static final String WATERMARK_FILE_IN_VOLUMES = "!has(self.watermark) || !has(self.watermark.image) || "
            + UNDER_VOLUME_A + "self.watermark.image" + UNDER_VOLUME_B + "self.watermark.image" + UNDER_VOLUME_C
            + "self.watermark.image" + UNDER_VOLUME_D + "self.watermark.image" + UNDER_VOLUME_E + "self.watermark.image"
            + UNDER_VOLUME_F;
    public static final String FILES_IN_VOLUMES_MESSAGE_TAIL = ": an absolute file path must lie under the mountPath of one of "
            + "spec.worker.volumes (a relative path is written under the worker's scratch output directory)";

    /** A placeholder image exactly when the rect is to show one. */
    public static final String LOSS_IMAGE_WITH_IMAGE = "(has(self.then) && self.then == 'Image') == has(self.image)";
    public static final String LOSS_IMAGE_WITH_IMAGE_MESSAGE = "spec.inputs[].onLoss.image: required when then is Image, "
            + "and not allowed otherwise (then defaults to Background)";
    public static final String LOSS_IMAGE_SCHEME_MESSAGE = "spec.inputs[].onLoss.image: the scheme must be http, https or file";
    public static final String LOSS_FILES_IN_VOLUMES = "self.inputs.all(i, !has(i.onLoss) || !has(i.onLoss.image) || "
            + UNDER_VOLUME_A + "i.onLoss.image" + UNDER_VOLUME_B + "i.onLoss.image" + UNDER_VOLUME_C + "i.onLoss.image"
            + UNDER_VOLUME_D + "i.onLoss.image" + UNDER_VOLUME_E + "i.onLoss.image" + UNDER_VOLUME_F + ")";
}
