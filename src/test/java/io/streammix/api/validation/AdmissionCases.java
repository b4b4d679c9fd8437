package io.streammix.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streammix.api.crd.CrdSchema;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one table of admission cases that drives both the generated CRD (OpenAPI schema + CEL rules)
 * and {@link SpecValidator}. Cross-field rules are written by hand below; every range, length,
 * pattern, enum, item count and required field of the schema gets a case derived from the schema
 * itself, so a constraint added to the model is tested the day it is added.
 */
public final class AdmissionCases {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Subtrees that are Kubernetes' own types (validated by Kubernetes, not by our rules). */
    private static final Set<String> FOREIGN = Set.of("spec.worker.resources", "spec.worker.affinity", "spec.worker.tolerations",
            "spec.worker.nodeSelector", "spec.inputs[].urlFrom.secretKeyRef", "spec.outputs[].urlFrom.secretKeyRef",
            "spec.outputs[].recording.upload.accessKeyFrom.secretKeyRef", "spec.outputs[].recording.upload.secretKeyFrom.secretKeyRef");

    private AdmissionCases() {
    }

    /** Cases for the cross-field (CEL) rules, and valid objects near their edges. */
    public static List<AdmissionCase> handWritten() {
        List<AdmissionCase> c = new ArrayList<>();
        c.add(valid("the full example", o -> { }));
        c.add(valid("rect touching the canvas edge", o -> rect(o, "/spec/inputs/1/rect").put("right", 1280).put("bottom", 720)));
        c.add(valid("audio-only task: no canvas, the 0,0,1,1 recipe", o -> {
            ArrayNode outs = (ArrayNode) o.at("/spec/outputs");
            outs.remove(3);
            outs.remove(1);
            outs.remove(0);
            ((ObjectNode) o.get("spec")).remove("watermark");
            rect(o, "/spec/inputs/0/rect").put("top", 0).put("left", 0).put("bottom", 1).put("right", 1);
        }));
        c.add(valid("bypass with one input", o -> {
            ArrayNode ins = (ArrayNode) o.at("/spec/inputs");
            ins.remove(2);
            ins.remove(1);
            ((ObjectNode) o.get("spec")).put("bypass", true);
        }));
        c.add(valid("userData of exactly 1000 bytes", o -> spec(o).put("userData", "é".repeat(500))));

        c.add(invalid("input rect right beyond the canvas", o -> rect(o, "/spec/inputs/1/rect").put("right", 1282),
                "spec.inputs[1].rect"));
        c.add(invalid("input rect bottom beyond the canvas", o -> rect(o, "/spec/inputs/0/rect").put("bottom", 722),
                "spec.inputs[0].rect"));
        c.add(invalid("canvas is the first video output, not the largest", o -> {
            ArrayNode outs = (ArrayNode) o.at("/spec/outputs");
            JsonNode main = outs.remove(0);
            outs.add(main);
        }, "spec.inputs[0].rect"));
        c.add(invalid("watermark beyond the canvas", o -> rect(o, "/spec/watermark/rect").put("right", 1290),
                "spec.watermark.rect"));
        c.add(invalid("watermark coordinate odd", o -> rect(o, "/spec/watermark/rect").put("left", 1101),
                "spec.watermark.rect"));
        c.add(invalid("watermark rect upside down", o -> rect(o, "/spec/watermark/rect").put("top", 100),
                "spec.watermark.rect"));
        c.add(invalid("rect with left after right", o -> rect(o, "/spec/inputs/0/rect").put("left", 700),
                "spec.inputs[0].rect"));
        c.add(invalid("rect with zero height", o -> rect(o, "/spec/inputs/0/rect").put("bottom", 0),
                "spec.inputs[0].rect"));
        c.add(invalid("input with streamId and url", o -> ((ObjectNode) o.at("/spec/inputs/0")).put("url", "rtmp://a/b"),
                "spec.inputs[0]"));
        c.add(invalid("input with no source", o -> ((ObjectNode) o.at("/spec/inputs/0")).remove("streamId"),
                "spec.inputs[0]"));
        c.add(invalid("output with url and urlFrom", o -> ((ObjectNode) o.at("/spec/outputs/2")).put("url", "rtmp://a/b"),
                "spec.outputs[2]"));
        c.add(invalid("output with no destination", o -> ((ObjectNode) o.at("/spec/outputs/0")).remove("streamId"),
                "spec.outputs[0]"));
        c.add(invalid("two inputs with one name", o -> ((ObjectNode) o.at("/spec/inputs/1")).put("name", "host"),
                "spec.inputs[].name"));
        c.add(invalid("two inputs with one stream id", o -> ((ObjectNode) o.at("/spec/inputs/1")).put("streamId", "host-cam")
                .remove("url"), "spec.inputs[].streamId"));
        c.add(invalid("two outputs with one name", o -> ((ObjectNode) o.at("/spec/outputs/1")).put("name", "main"),
                "spec.outputs[].name"));
        c.add(invalid("two outputs with one stream id", o -> ((ObjectNode) o.at("/spec/outputs/1")).put("streamId", "mix-main")
                .remove("url"), "spec.outputs[].streamId"));
        c.add(invalid("userData over 1000 bytes in fewer than 1000 characters", o -> spec(o).put("userData", "混".repeat(400)),
                "spec.userData"));
        c.add(invalid("bypass with three inputs", o -> spec(o).put("bypass", true), "spec.bypass"));
        c.add(valid("recording to a file:// URL, no rotation, no upload", o -> ((ObjectNode) o.at("/spec/outputs/3"))
                .put("url", "file:///recordings/a.mkv").set("recording", F.objectNode())));
        c.add(valid("recording to a FILE:// URL: the scheme in any case, as the worker reads it", o -> ((ObjectNode) o.at("/spec/outputs/3"))
                .put("url", "FILE:///recordings/a.mkv").set("recording", F.objectNode())));
        c.add(invalid("recording on an RTMP output", o -> ((ObjectNode) o.at("/spec/outputs/3")).put("url", "rtmp://a/b"),
                "spec.outputs[3].recording"));
        c.add(invalid("recording on a streamId output", o -> ((ObjectNode) o.at("/spec/outputs/0")).set("recording",
                F.objectNode().put("rotateAfterSeconds", 60)), "spec.outputs[0].recording"));
        c.add(invalid("two volumes with one name", o -> ((ArrayNode) o.at("/spec/worker/volumes")).add(
                F.objectNode().put("name", "recordings").put("claimName", "other").put("mountPath", "/other")),
                "spec.worker.volumes[].name"));
        c.add(invalid("volume mounted over the worker's scratch space", o -> ((ObjectNode) o.at("/spec/worker/volumes/0"))
                .put("mountPath", "/scratch/rec"), "spec.worker.volumes[0]"));
        c.add(invalid("volume mounted on /", o -> ((ObjectNode) o.at("/spec/worker/volumes/0")).put("mountPath", "/"),
                "spec.worker.volumes[0]"));
        c.add(valid("volume mounted at a path that only begins like the scratch space", o -> {
            ((ObjectNode) o.at("/spec/worker/volumes/0")).put("mountPath", "/scratchpad");
            ((ObjectNode) o.at("/spec/outputs/3")).put("url", "/scratchpad/mix.mp4");
        }));
        lossCases(c);
        audioOnlyFileCases(c);
        urlPolicyCases(c);
        return c;
    }

    /** spec.inputs[].onLoss: a placeholder image exactly when then is Image, and the image URL rules of spec.background.image. */
    private static void lossCases(List<AdmissionCase> c) {
        c.add(valid("onLoss empty: hold 1 s, then the background", o -> input(o).set("onLoss", F.objectNode())));
        c.add(valid("onLoss hold at its maximum, no then", o -> input(o).set("onLoss", F.objectNode().put("holdLastFrameMillis", 60000))));
        c.add(valid("onLoss placeholder on the task's volume", o -> input(o).set("onLoss", F.objectNode().put("then", "Image")
                .put("image", "file:///recordings/standby.jpg"))));
        c.add(invalid("onLoss then Image without an image", o -> input(o).set("onLoss", F.objectNode().put("then", "Image")),
                "spec.inputs[1].onLoss.image"));
        c.add(invalid("onLoss image with then Background", o -> input(o).set("onLoss", F.objectNode().put("then", "Background")
                .put("image", "https://media.example/standby.png")), "spec.inputs[1].onLoss.image"));
        c.add(invalid("onLoss image without then (Background by default)", o -> input(o).set("onLoss", F.objectNode()
                .put("image", "https://media.example/standby.png")), "spec.inputs[1].onLoss.image"));
        String[][] images = {
                {"an rtmp placeholder", "rtmp://media.example/live/x"},
                {"the metadata address", "http://169.254.169.254/latest/meta-data/x.png"},
                {"a local file outside the task's volumes", "/etc/passwd"},
                {"a path that climbs out of the volume", "/recordings/../etc/mixtask/token"},
                {"subfile in a path", "subfile,,start,0,end,0,,:/etc/passwd"},
        };
        for (String[] img : images) {
            c.add(invalid("onLoss image: " + img[0], o -> input(o).set("onLoss", F.objectNode().put("then", "Image")
                    .put("image", img[1])), "spec.inputs[1].onLoss.image"));
        }
    }

    /**
     * What an audio-only file (.m4a, .mp3, .ogg/.oga, .opus) named by a literal url can hold, in the URL forms the worker
     * reads: paths, file:// URLs with a query or fragment, any case. The recording output (outputs[3]) plays the file.
     */
    private static void audioOnlyFileCases(List<AdmissionCase> c) {
        c.add(valid("audio-only .ogg file, start-mix's 1x1 video, the container's own codec", o -> recordTo(o, "/recordings/mix.ogg", false, null)));
        c.add(valid("audio-only .mp3 file with MP3", o -> recordTo(o, "/recordings/mix.mp3", false, "MP3")));
        c.add(valid("audio-only .m4a file with HE_AAC (encoded as AAC-LC)", o -> recordTo(o, "/recordings/mix.m4a", false, "HE_AAC")));
        // Without recording: RECORDING_ON_FILE reads only a lower-case file:// as a file URL.
        c.add(valid("audio-only FILE:// URL, upper-case .OPUS, a query, OPUS", o -> {
            recordTo(o, "FILE:///recordings/Mix.OPUS?v=1", false, "OPUS");
            ((ObjectNode) o.at("/spec/outputs/3")).remove("recording");
        }));
        c.add(valid("a path keeps its query in the file name: mix.ogg?v=1 is an MP4 file, video is fine", o -> recordTo(o,
                "/recordings/mix.ogg?v=1", true, "AAC_LC")));
        c.add(valid("a file:// URL whose query only looks like .mp3 is an MP4 file", o -> recordTo(o, "file:///recordings/mix?as=.mp3",
                true, null)));
        c.add(valid("a network URL ending in .mp3 is not a file", o -> ((ObjectNode) o.at("/spec/outputs/1"))
                .put("url", "srt://media.example:9000?streamid=low.mp3")));
        c.add(valid("an .mp3 directory above an .mkv file", o -> recordTo(o, "/recordings/old.mp3/mix.mkv", true, "OPUS")));

        c.add(invalid("video in an .mp3 file", o -> recordTo(o, "/recordings/mix.mp3", true, null), "spec.outputs[3].video"));
        c.add(invalid("video in an .M4A file:// URL with a query", o -> recordTo(o, "file:///recordings/Mix.M4A?v=1", true, null),
                "spec.outputs[3].video"));
        c.add(invalid("video in an .oga file, path with a trailing slash", o -> recordTo(o, "/recordings/mix.oga/", true, "OPUS"),
                "spec.outputs[3].video"));
        c.add(invalid("AAC_LC in an .ogg file", o -> recordTo(o, "/recordings/mix.ogg", false, "AAC_LC"), "spec.outputs[3].audio.codec"));
        c.add(invalid("MP3 in an .opus file:// URL with a fragment", o -> recordTo(o, "file:///recordings/mix.opus#t=1", false, "MP3"),
                "spec.outputs[3].audio.codec"));
        c.add(invalid("OPUS in an .mp3 file", o -> recordTo(o, "recordings/MIX.Mp3", false, "OPUS"), "spec.outputs[3].audio.codec"));
        c.add(invalid("MP3 in an .m4a file", o -> recordTo(o, "/recordings/mix.m4a", false, "MP3"), "spec.outputs[3].audio.codec"));
    }

    /**
     * The URL policy (issue 13, finding 3): each SSRF and local-file form the audit tried, on inputs, outputs and both
     * images, refused by CEL and by the Java rules naming the field; the forms a real task uses still pass.
     */
    private static void urlPolicyCases(List<AdmissionCase> c) {
        c.add(valid("input file on the task's volume", o -> input(o).put("url", "/recordings/intro.mp4")));
        c.add(valid("input file:// URL on the task's volume, looped", o -> input(o).put("url", "file:///recordings/intro.mp4").put("loop", true)));
        c.add(valid("relative output path (the local run's out/demo.mp4)", o -> ((ObjectNode) o.at("/spec/outputs/3")).put("url", "out/demo.mp4")));
        c.add(valid("images on the task's volume", o -> {
            ((ObjectNode) o.at("/spec/background")).put("image", "/recordings/bg.png");
            ((ObjectNode) o.at("/spec/watermark")).put("image", "file:///recordings/logo.png");
        }));
        c.add(valid("http input on an ordinary host and port, with user info", o -> input(o).put("url", "http://user:pw@10.1.2.3:8080/live.flv")));
        c.add(valid("IPv6 input outside link-local", o -> input(o).put("url", "rtmp://[2001:db8::1]/live/a")));

        String[][] inputs = {
                {"FFmpeg subfile: reading a local file", "subfile,,start,0,end,0,,:/etc/passwd"},
                {"FFmpeg concat: of local files", "concat:/etc/passwd|/etc/hosts"},
                {"FFmpeg data: URL", "data:image/png;base64,iVBORw0KGgo="},
                {"crypto+file: nesting the file protocol", "crypto+file:///etc/passwd"},
                {"an unlisted scheme (ftp)", "ftp://files.example/a.mp4"},
                {"cloud metadata address", "http://169.254.169.254/latest/meta-data/"},
                {"cloud metadata address behind user info", "rtmp://user@169.254.169.254/live/x"},
                {"metadata address as one decimal number", "http://2852039166/latest/"},
                {"metadata address in hexadecimal", "http://0xA9FEA9FE/latest/"},
                {"metadata address in octal", "http://0251.0376.0251.0376/latest/"},
                {"metadata address in the a.b form", "http://169.16689662/latest/"},
                {"IPv6 link-local", "http://[fe80::1%25eth0]:8080/x"},
                {"IPv4-mapped IPv6 metadata address", "http://[::ffff:169.254.169.254]/x"},
                {"AWS IPv6 metadata address", "http://[fd00:ec2::254]/latest/"},
                {"GCE metadata name", "http://metadata.google.internal/computeMetadata/v1/"},
                {"the Kubernetes API server by name", "https://kubernetes.default.svc/api/v1/secrets"},
                {"the Kubernetes API server by its full name", "https://KUBERNETES.default.svc.cluster.local:443/api"},
                {"a local file outside the task's volumes", "/etc/passwd"},
                {"a file:// URL outside the task's volumes", "file:///deployments/lib/main.jar"},
                {"a path that climbs out of the volume", "/recordings/../etc/mixtask/spec.json"},
                {"a relative path that climbs", "../../etc/mixtask/token"},
                {"a hex part after dotted parts, read by the C resolver (issue 21)", "http://127.0.0.0x5/x"},
                {"metadata address with one hex part (issue 21)", "http://169.0xfe.169.254/latest/"},
                {"http: without slashes: FFmpeg connects to the host, Java sees none (issue 21)", "http:169.254.169.254/latest/"},
                {"http: with one slash (issue 21)", "http:/169.254.169.254/latest/"},
                {"a file:// URL climbing with percent-encoded dots (issue 21)", "file:///recordings/%2E%2E/etc/mixtask/token"},
                {"a file:// URL climbing with mixed-case encoded dots", "file:///recordings/%2e%2E/etc/mixtask/token"},
        };
        for (String[] in : inputs) {
            c.add(invalid("input: " + in[0], o -> input(o).put("url", in[1]), "spec.inputs[1].url"));
        }
        String[][] outputs = {
                {"http is not a push scheme", "http://media.example/push"},
                {"a file outside the task's volumes", "/etc/mixtask/out.mp4"},
                {"a file:// URL climbing out of the volume", "file:///recordings/../scratch/javacpp/x.mp4"},
                {"a file:// URL climbing with encoded dots (issue 21)", "file:///recordings/.%2e/scratch/javacpp/x.mp4"},
                {"subfile in a path", "subfile,,start,0,end,0,,:/recordings/x.mp4"},
                {"the metadata address", "rtmp://169.254.169.254/live/x"},
        };
        for (String[] out : outputs) {
            c.add(invalid("output: " + out[0], o -> ((ObjectNode) o.at("/spec/outputs/1")).put("url", out[1]), "spec.outputs[1].url"));
        }
        String[][] images = {
                {"an rtmp image", "rtmp://media.example/live/x"},
                {"a data: image", "data:image/png;base64,iVBORw0KGgo="},
                {"the metadata address", "http://169.254.169.254/latest/meta-data/iam/x.png"},
                {"a local file outside the task's volumes", "/etc/passwd"},
                {"a file:// URL outside the task's volumes", "file:///etc/mixtask/token"},
                {"subfile in a path", "subfile,,start,0,end,0,,:/etc/passwd"},
        };
        for (String[] img : images) {
            c.add(invalid("background image: " + img[0], o -> ((ObjectNode) o.at("/spec/background")).put("image", img[1]),
                    "spec.background.image"));
            c.add(invalid("watermark image: " + img[0], o -> ((ObjectNode) o.at("/spec/watermark")).put("image", img[1]),
                    "spec.watermark.image"));
        }
    }

    private static ObjectNode input(ObjectNode o) {
        return (ObjectNode) o.at("/spec/inputs/1");
    }

    /** Points the recording output at {@code url}, with a picture or start-mix's 1x1 audio-only recipe, and a codec or none. */
    private static void recordTo(ObjectNode o, String url, boolean video, String codec) {
        ObjectNode out = (ObjectNode) o.at("/spec/outputs/3");
        out.put("url", url);
        if (!video) {
            ((ObjectNode) out.get("video")).put("width", 1).put("height", 1);
        }
        if (codec != null) {
            out.set("audio", F.objectNode().put("codec", codec));
        }
    }

    /** One failing case for each constraint of the schema under {@code spec} (ours, not Kubernetes' own types). */
    public static List<AdmissionCase> derivedFromSchema(JsonNode openApiSchema, JsonNode base) {
        List<AdmissionCase> cases = new ArrayList<>();
        derive(openApiSchema.at("/properties/spec"), "spec", base, cases);
        return cases;
    }

    private static void derive(JsonNode schema, String path, JsonNode base, List<AdmissionCase> out) {
        if (FOREIGN.contains(path)) {
            return;
        }
        String pointer = firstPresent(path, base);
        if (pointer != null) {
            String field = toField(pointer);
            if (schema.has("maximum")) {
                out.add(schemaCase(path + " above maximum", pointer, number(schema, schema.get("maximum").asDouble() + 1), field, "maximum"));
            }
            if (schema.has("minimum")) {
                out.add(schemaCase(path + " below minimum", pointer, number(schema, schema.get("minimum").asDouble() - 1), field, "minimum"));
            }
            if (schema.has("maxLength")) {
                out.add(schemaCase(path + " too long", pointer, F.textNode("a".repeat(schema.get("maxLength").asInt() + 1)), field,
                        "maxLength"));
            }
            if (schema.path("minLength").asInt() > 0) {
                out.add(schemaCase(path + " too short", pointer, F.textNode(""), field, "minLength"));
            }
            if (schema.has("pattern")) {
                out.add(schemaCase(path + " not matching its pattern", pointer, F.textNode("Not Valid!"), field, "pattern"));
            }
            if (schema.has("enum")) {
                out.add(schemaCase(path + " not one of its values", pointer, F.textNode("Bogus"), field, "enum"));
            }
            if (schema.has("maxItems")) {
                int n = schema.get("maxItems").asInt() + 1;
                out.add(new AdmissionCase(path + " with too many items", o -> {
                    ArrayNode list = (ArrayNode) o.at(pointer);
                    while (list.size() < n) {
                        list.add(list.get(0).deepCopy());
                    }
                }, field, "maxItems"));
            }
            if (schema.path("minItems").asInt() > 0) {
                out.add(new AdmissionCase(path + " empty", o -> ((ArrayNode) o.at(pointer)).removeAll(), field, "minItems"));
            }
            for (JsonNode r : schema.path("required")) {
                String prop = r.asText();
                if (base.at(pointer).has(prop)) {
                    out.add(new AdmissionCase(path + "." + prop + " missing", o -> ((ObjectNode) o.at(pointer)).remove(prop),
                            field + "." + prop, "required"));
                }
            }
        }
        Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
        while (props.hasNext()) {
            Map.Entry<String, JsonNode> p = props.next();
            derive(p.getValue(), path + "." + p.getKey(), base, out);
        }
        if (schema.has("items")) {
            derive(schema.get("items"), path + "[]", base, out);
        }
    }

    /** The JSON pointer of the first place in {@code base} where the schema path exists (lists: the first item that has it). */
    static String firstPresent(String schemaPath, JsonNode base) {
        return firstPresent(schemaPath.split("\\."), 0, base, "");
    }

    private static String firstPresent(String[] parts, int i, JsonNode node, String pointer) {
        if (i == parts.length) {
            return pointer;
        }
        String part = parts[i];
        boolean list = part.endsWith("[]");
        String name = list ? part.substring(0, part.length() - 2) : part;
        JsonNode child = node.get(name);
        if (child == null) {
            // The last step may be absent: a case sets it.
            return i == parts.length - 1 && !list && node.isObject() ? pointer + "/" + name : null;
        }
        if (!list) {
            return firstPresent(parts, i + 1, child, pointer + "/" + name);
        }
        if (i == parts.length - 1) {
            return child.size() > 0 ? pointer + "/" + name + "/0" : null;
        }
        for (int k = 0; k < child.size(); k++) {
            String found = firstPresent(parts, i + 1, child.get(k), pointer + "/" + name + "/" + k);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** {@code /spec/inputs/0/rect} → {@code spec.inputs[0].rect}, as the Java rules name fields. */
    public static String toField(String pointer) {
        return pointer.substring(1).replaceAll("/(\\d+)", "[$1]").replace('/', '.');
    }

    private static JsonNode number(JsonNode schema, double v) {
        return "integer".equals(schema.path("type").asText()) ? F.numberNode((long) v) : F.numberNode(v);
    }

    private static AdmissionCase schemaCase(String name, String pointer, JsonNode value, String field, String keyword) {
        int slash = pointer.lastIndexOf('/');
        String parent = pointer.substring(0, slash);
        String prop = pointer.substring(slash + 1);
        return new AdmissionCase(name, o -> ((ObjectNode) o.at(parent)).set(prop, value), field, keyword);
    }

    private static AdmissionCase valid(String name, Consumer<ObjectNode> m) {
        return new AdmissionCase(name, m, null, null);
    }

    private static AdmissionCase invalid(String name, Consumer<ObjectNode> m, String field) {
        return new AdmissionCase(name, m, field, null);
    }

    private static ObjectNode spec(ObjectNode o) {
        return (ObjectNode) o.get("spec");
    }

    private static ObjectNode rect(ObjectNode o, String pointer) {
        return (ObjectNode) o.at(pointer);
    }

    /** The full example all cases start from. */
    public static ObjectNode base() {
        try (var in = AdmissionCases.class.getResourceAsStream("/io/streammix/api/mixtask-full.yaml")) {
            return (ObjectNode) CrdSchema.YAML.readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
