package io.streammix.startmix;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.AudioEncoding;
import io.streammix.api.v1alpha1.Background;
import io.streammix.api.v1alpha1.Content;
import io.streammix.api.v1alpha1.ExtraParam;
import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.api.v1alpha1.RateControl;
import io.streammix.api.v1alpha1.Rect;
import io.streammix.api.v1alpha1.RenderMode;
import io.streammix.api.v1alpha1.SeiMode;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.api.v1alpha1.VideoEncoding;
import io.streammix.api.v1alpha1.Watermark;
import io.streammix.api.validation.UrlPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a start-mix request (the vendor's JSON, as its own examples send it) into a MixTask, field by
 * field as docs/start-mix-mapping.md says. The one mapping of the project: the CLI ({@link StartMixCommand})
 * and the HTTP API ({@link StartMixApi}) both use it. What has no place in a MixTask (the request envelope,
 * {@link StartMixEnvelope}), what the vendor does not define (ignored, as the vendor ignores it) and what cannot be
 * honoured as sent (preset-id:// images and image ids, HE-AAC, avertp:// URLs taken as the stream ids they name) is
 * reported in {@link Result#warnings()}; what is wrong (a value of the wrong type or outside the document's enums, a
 * testenv other than 0) is a {@link StartMixException} naming the vendor field. Range checks are left to
 * admission and {@link io.streammix.api.validation.SpecValidator}, which name the MixTask field;
 * {@link StartMixNames#vendorField(String)} names it back in the request's terms.
 */
public final class StartMixConverter {
    /**
     * The fields the vendor's documents and examples send, normalized (see {@link StartMixFields#normalize}); others
     * are ignored, as the vendor ignores them, and listed in the warnings.
     */
    static final Set<String> TOP = Set.of("timestamp", "idname", "biztype", "streamid", "appid", "mixinput", "mixoutput",
            "livechannel", "outputbgimage", "outputbgcolor", "withsoundlevel", "userdata", "seq", "watermark", "taskid",
            "audiochannelcnt", "testenv", "version", "bypass", "extraparams", "outputaudiobitrate");
    static final Set<String> INPUT = Set.of("url", "streamid", "soundlevelid", "contentcontrol", "rect", "rendermode");
    static final Set<String> RECT = Set.of("layer", "top", "left", "bottom", "right");
    static final Set<String> OUTPUT = Set.of("streamid", "mixurl", "bitrate", "fps", "height", "width", "audioencid",
            "audiobitrate", "audiochannelcnt", "encodemode", "encodequa", "outputbgcolor", "outputbgimage");
    static final Set<String> WATERMARK = Set.of("image", "rect");
    static final Set<String> EXTRA_PARAM = Set.of("key", "value");

    private static final Pattern URL_SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://");
    /** Schemes the worker pulls from and pushes to over the network (a plain path is a file). */
    private static final Set<String> PULL = UrlPolicy.INPUT_SCHEMES;
    private static final Set<String> PUSH = Set.of("rtmp", "rtmps", "srt");

    /**
     * The MixTask, what was not carried over, and the request's envelope as the API needs it.
     *
     * @param idName the request's {@code id_name} (requests of one id_name are serialised), or null
     * @param taskId the request's {@code task_id}, else its id_name: what names the task
     * @param appid  the request's {@code appid}, or null
     */
    public record Result(MixTask task, List<String> warnings, String idName, String taskId, Long appid) {
    }

    private final List<String> warnings = new ArrayList<>();
    /** Fields of the request that are in none of the document's tables, by path. */
    private final List<String> unknown = new ArrayList<>();

    private StartMixConverter() {
    }

    public static Result convert(JsonNode request, String namespace) {
        StartMixConverter c = new StartMixConverter();
        StartMixFields r = new StartMixFields(request);
        MixTask task;
        List<String> envelope;
        try {
            task = c.task(r, namespace);
            envelope = StartMixEnvelope.check(r);
        } catch (StartMixException e) {
            // A misspelt field ("MixOutputs") is ignored, and then a required one is missing: say both.
            throw c.unknown.isEmpty() ? e
                    : new StartMixException(e.field(), e.getMessage().substring(e.field().length() + 2)
                            + " (ignored, not start-mix fields: " + String.join(", ", c.unknown) + ")");
        }
        List<String> warnings = new ArrayList<>(envelope);
        c.unknown.forEach(u -> warnings.add(u + ": unknown field, ignored (not part of the start-mix request; see docs/start-mix-mapping.md)"));
        warnings.addAll(c.warnings);
        return new Result(task, List.copyOf(warnings), r.text("id_name"), StartMixNames.taskId(r), r.number("appid"));
    }

    private MixTask task(StartMixFields r, String namespace) {
        r.unknownKeys(TOP, unknown);
        MixTaskSpec spec = new MixTaskSpec();
        spec.roomId = r.text("live_channel");
        Long seq = r.number("seq");
        spec.seq = seq;
        Integer topChannels = r.integer("audio_channel_cnt");
        Integer topAudioBitrate = StartMixValues.positive(r.integer("output_audio_bitrate"));

        JsonNode inputs = r.get("MixInput");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new StartMixException("MixInput", "at least one input is required");
        }
        for (int i = 0; i < inputs.size(); i++) {
            spec.inputs.add(input(new StartMixFields(inputs.get(i), "MixInput[" + i + "]"), "MixInput[" + i + "]"));
        }
        JsonNode outputs = r.get("MixOutput");
        if (outputs == null || !outputs.isArray() || outputs.isEmpty()) {
            throw new StartMixException("MixOutput", "at least one output is required");
        }
        for (int i = 0; i < outputs.size(); i++) {
            spec.outputs.add(output(new StartMixFields(outputs.get(i), "MixOutput[" + i + "]"), "MixOutput[" + i + "]",
                    topChannels, topAudioBitrate));
        }

        String image = image(r.text("output_bg_image"), "output_bg_image");
        Long color = r.number("output_bg_color");
        if (image != null || color != null) {
            spec.background = new Background(color == null ? null : StartMixValues.color(color), image);
        }
        spec.soundLevel = StartMixValues.flag(r, "with_sound_level");
        spec.userData = r.text("userdata");
        spec.bypass = StartMixValues.flag(r, "bypass");
        if (r.has("watermark")) {
            spec.watermark = watermark(r.object("watermark"));
        }
        extraParams(r.get("extra_params"), spec);
        for (int i = 0; i < spec.outputs.size(); i++) {
            MixOutput o = spec.outputs.get(i);
            if (o.hasVideo() && o.video.codec == VideoCodec.H265) {
                warnings.add("MixOutput[" + i + "]: H.265 over HTTP-FLV and RTMP is written as Enhanced FLV (FourCC hvc1); "
                        + "players that expect the older codec-id-12 convention cannot play it, HLS (fMP4) plays everywhere");
            }
        }
        MixTask task = new MixTask();
        task.setMetadata(new ObjectMetaBuilder().withName(StartMixNames.name(r)).withNamespace(namespace).build());
        task.setSpec(spec);
        return task;
    }

    private MixInput input(StartMixFields in, String at) {
        in.unknownKeys(INPUT, unknown);
        MixInput m = new MixInput();
        m.streamId = in.text("stream_id");
        String url = in.text("url");
        if (m.streamId != null && url != null) {
            if (scheme(url) != null && PULL.contains(scheme(url))) {
                // A URL the worker can pull from, and a stream id: pull that URL, under the stream id's name.
                m.url = url;
                m.name = StartMixNames.label(m.streamId);
                m.streamId = null;
            } else {
                // "If stream_id is given, url is empty": a placeholder or a URL nobody here can pull; the stream id wins.
                warnings.add(at + ".url: ignored because stream_id is given");
            }
        } else if (url != null && "avertp".equals(scheme(url))) {
            m.streamId = privateTransport(url, at + ".url", "pulled");
        } else if (url != null) {
            m.url = checkScheme(url, PULL, at + ".url", "pull from");
        }
        if (m.streamId == null && m.url == null) {
            throw new StartMixException(at, "one of url and stream_id is required");
        }
        Long level = in.number("sound_level_id");
        m.soundLevelId = level;
        Integer content = in.integer("content_control");
        if (content != null) {
            m.content = switch (content) {
                case 0 -> Content.AudioVideo;
                case 1 -> Content.AudioOnly;
                case 2 -> Content.VideoOnly;
                default -> throw new StartMixException(at + ".content_control", "must be 0, 1 or 2 (got " + content + ")");
            };
        }
        Integer render = in.integer("render_mode");
        if (render != null) {
            m.renderMode = switch (render) {
                case 0 -> RenderMode.Crop;
                case 1 -> RenderMode.Fit;
                default -> throw new StartMixException(at + ".render_mode", "must be 0 or 1 (got " + render + ")");
            };
        }
        if (!in.has("rect")) {
            throw new StartMixException(at + ".rect", "is required");
        }
        m.rect = rect(in.object("rect"), at + ".rect");
        return m;
    }

    private MixOutput output(StartMixFields out, String at, Integer topChannels, Integer topAudioBitrate) {
        out.unknownKeys(OUTPUT, unknown);
        MixOutput m = new MixOutput();
        m.streamId = out.text("stream_id");
        String url = out.text("mixurl");
        if (m.streamId != null && url != null) {
            if (scheme(url) != null && PUSH.contains(scheme(url))) {
                // The vendor's Java sample: mixurl = CDN push address + stream_id. Push there; the stream id names the
                // output, so the worker also serves it (and the play URLs name it) under that id.
                m.url = url;
                m.name = StartMixNames.label(m.streamId);
                m.streamId = null;
            } else {
                // "If stream_id is given, url is empty": a placeholder ("mixurl1") or a URL nobody here can push to.
                warnings.add(at + ".mixurl: ignored because stream_id is given");
            }
        } else if (url != null && "avertp".equals(scheme(url))) {
            m.streamId = privateTransport(url, at + ".mixurl", "played");
        } else if (url != null) {
            m.url = checkScheme(url, UrlPolicy.OUTPUT_SCHEMES, at + ".mixurl", "push to");
        }
        if (m.streamId == null && m.url == null) {
            throw new StartMixException(at, "one of mixurl and stream_id is required");
        }
        VideoEncoding v = new VideoEncoding();
        v.width = StartMixValues.required(out, "width", at);
        v.height = StartMixValues.required(out, "height", at);
        v.fps = StartMixValues.required(out, "fps", at);
        v.bitrate = StartMixValues.required(out, "bitrate", at);
        Integer mode = out.integer("encode_mode");
        if (mode != null) {
            v.rateControl = switch (mode) {
                case 0 -> RateControl.CBR;
                case 1 -> RateControl.CRF;
                default -> throw new StartMixException(at + ".encode_mode", "must be 0 or 1 (got " + mode + ")");
            };
        }
        v.quality = out.integer("encode_qua");
        m.video = v;

        AudioEncoding a = new AudioEncoding();
        Integer enc = out.integer("audio_enc_id");
        a.codec = enc == null ? AudioCodec.HE_AAC : switch (enc) {
            case 0 -> AudioCodec.HE_AAC;
            case 1 -> AudioCodec.AAC_LC;
            case 2 -> AudioCodec.MP3;
            default -> throw new StartMixException(at + ".audio_enc_id", "must be 0 (HE-AAC), 1 (LC-AAC) or 2 (MP3) (got " + enc + ")");
        };
        if (a.codec == AudioCodec.HE_AAC) {
            warnings.add(at + ".audio_enc_id: " + (enc == null ? "not given, the vendor's default " : "0, ")
                    + "HE-AAC is encoded as AAC-LC here (the bundled FFmpeg has no HE-AAC encoder); send 1 to ask for AAC-LC");
        }
        Integer bitrate = StartMixValues.positive(out.integer("audio_bitrate"));
        a.bitrate = bitrate != null ? bitrate : topAudioBitrate;
        Integer channels = out.integer("audio_channel_cnt");
        a.channels = StartMixValues.channels(channels != null ? channels : topChannels, at + ".audio_channel_cnt");
        m.audio = a;
        for (String misplaced : List.of("output_bg_color", "output_bg_image")) {
            if (out.has(misplaced)) {
                warnings.add(at + "." + misplaced + ": ignored (a task-level field)");
            }
        }
        return m;
    }

    private Watermark watermark(StartMixFields w) {
        w.unknownKeys(WATERMARK, unknown);
        Watermark m = new Watermark();
        m.image = image(w.text("image"), "watermark.image");
        if (m.image == null) {
            warnings.add("watermark: dropped, it has no usable image");
            return null;
        }
        if (!w.has("rect")) {
            throw new StartMixException("watermark.rect", "is required");
        }
        m.rect = rect(w.object("rect"), "watermark.rect");
        return m;
    }

    private Rect rect(StartMixFields r, String at) {
        r.unknownKeys(RECT, unknown);
        Rect rect = new Rect(StartMixValues.required(r, "left", at), StartMixValues.required(r, "top", at),
                StartMixValues.required(r, "right", at), StartMixValues.required(r, "bottom", at));
        rect.layer = r.integer("layer");
        return rect;
    }

    private void extraParams(JsonNode params, MixTaskSpec spec) {
        if (params == null) {
            return;
        }
        if (!params.isArray()) {
            throw new StartMixException("extra_params", "must be an array of {key, value}");
        }
        List<ExtraParam> kept = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            StartMixFields f = new StartMixFields(params.get(i), "extra_params[" + i + "]");
            f.unknownKeys(EXTRA_PARAM, unknown);
            String key = f.text("key");
            String value = f.text("value");
            if (key == null) {
                continue;
            }
            switch (key.toLowerCase(Locale.ROOT)) {
                case "video_encode" -> {
                    VideoCodec codec = switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
                        case "h264", "avc" -> VideoCodec.H264;
                        case "h265", "hevc" -> VideoCodec.H265;
                        default -> throw new StartMixException("extra_params.video_encode", "must be h264 or h265 (got " + value + ")");
                    };
                    spec.outputs.stream().filter(o -> o.video != null && o.video.codec == null).forEach(o -> o.video.codec = codec);
                }
                case "sei_mode" -> spec.seiMode = "1".equals(value) ? SeiMode.EveryFrame : SeiMode.KeyframesAndChanges;
                default -> {
                    kept.add(new ExtraParam(key, value == null ? "" : value));
                    warnings.add("extra_params." + key + ": unknown key, kept in spec.extraParams and ignored");
                }
            }
        }
        spec.extraParams = kept.isEmpty() ? null : kept;
    }

    private String image(String url, String at) {
        if (url != null && url.startsWith("preset-id://")) {
            warnings.add(at + ": the vendor's preset images are not available here; use an http(s):// or file:// URL");
            return null;
        }
        if (url != null && scheme(url) == null && !url.startsWith("/")) {
            // "iamge-id" in the vendor's own example: an image the vendor's support registered, not a URL.
            warnings.add(at + ": '" + url + "' is not a URL (an image id of the vendor's?); use an http(s):// or file:// URL");
            return null;
        }
        return url;
    }

    /** The scheme of a URL written scheme://..., lower case, or null (a path, a placeholder, an id). */
    static String scheme(String url) {
        Matcher m = URL_SCHEME.matcher(url);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /** A URL with a scheme the worker cannot use is refused here, naming the field, rather than failing in the worker. */
    private static String checkScheme(String url, Set<String> allowed, String at, String verb) {
        String scheme = scheme(url);
        if (scheme != null && !allowed.contains(scheme)) {
            String why = scheme.equals("avertp") ? " (the vendor's private transport)" : "";
            throw new StartMixException(at, "cannot " + verb + " " + scheme + "://" + why + "; supported: "
                    + allowed.stream().filter(s -> !s.equals("synthetic") && !s.equals("file")).sorted().toList()
                    + (allowed.contains("file") ? " or a file path" : ""));
        }
        return url;
    }

    /**
     * The vendor's private avertp:// transport (the curl sample's input and output): nothing here speaks it, so the
     * URL's last path segment is taken as the stream id it names (pulled through the input URL template, or played by
     * the worker), and the reply says so.
     */
    private String privateTransport(String url, String at, String verb) {
        String path = url.replaceFirst("[?#].*$", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (last.isEmpty() || path.indexOf('/', "avertp://".length()) < 0) {
            throw new StartMixException(at, "cannot use avertp:// (the vendor's private transport) and the URL names no stream");
        }
        warnings.add(at + ": avertp:// is the vendor's private transport; " + verb + " as stream_id '" + last
                + "' (the URL's last part) instead");
        return last;
    }
}
