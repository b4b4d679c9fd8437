package io.streammix.startmix;

import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names in both worlds: a start-mix task id or stream id as a Kubernetes resource or input/output name (stable; two
 * task ids give one name only by a SHA-256 collision or by spelling another's hashed name, which the API refuses), and
 * which start-mix field a MixTask field came from (for messages that name the field the caller sent).
 */
public final class StartMixNames {
    private StartMixNames() {
    }

    /** task_id, else id_name. */
    static String taskId(StartMixFields r) {
        String id = r.text("task_id");
        if (id == null) {
            id = r.text("id_name");
        }
        if (id == null) {
            throw new StartMixException("task_id", "task_id or id_name is required to name the task");
        }
        return id;
    }

    /** task_id, else id_name, made a valid resource name (a hash keeps two different ids apart). */
    static String name(StartMixFields r) {
        return resourceName(taskId(r));
    }

    /** Hex digits of the hash in a hashed name: 128 bits, so that no one finds two ids of one name by searching. */
    static final int NAME_HASH_HEX = 32;

    /**
     * A task id made a valid resource name (a DNS-1123 subdomain of at most 63 characters), stably: an id that already
     * is one is its own name; any other is its cleaned form (at most 30 characters) and 128 bits of its SHA-256, so two
     * ids give one name only by a SHA-256 collision. An id that is spelled like another's hashed name does map to it:
     * the API refuses that by the task id it records on each MixTask ({@code StartMixApi.TASK_ID_ANNOTATION}).
     */
    public static String resourceName(String id) {
        return hashed(id, 30, NAME_HASH_HEX, true);
    }

    /**
     * The name an id had before the hash grew (32 bits: two ids colliding there overwrote each other's task). The API
     * still finds a task of that name when it records exactly this task id, so that tasks created before the change
     * are updated and stopped in place rather than duplicated.
     */
    public static String legacyResourceName(String id) {
        return hashed(id, 54, 8, false);
    }

    private static String hashed(String id, int keep, int hex, boolean trimCut) {
        String clean = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        if (clean.equals(id) && !clean.isEmpty() && clean.length() <= 63) {
            return clean;
        }
        String hash = sha256(id).substring(0, hex);
        if (!clean.isEmpty()) {
            clean = clean.substring(0, Math.min(clean.length(), keep));
            // A cut that ends in "." would make "x.-hash", not a valid name (the 32-bit scheme did; kept as it was there).
            clean = trimCut ? clean.replaceAll("[^a-z0-9]+$", "") : clean;
        }
        return (clean.isEmpty() ? "task" : clean) + "-" + hash;
    }

    /** A stream id as an input/output name (a DNS label): itself when it is one, else cleaned with a hash. */
    static String label(String id) {
        String clean = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        if (clean.equals(id) && !clean.isEmpty() && clean.length() <= 63) {
            return clean;
        }
        String hash = sha256(id).substring(0, 8);
        clean = clean.isEmpty() ? "stream" : clean.substring(0, Math.min(clean.length(), 54)).replaceAll("-+$", "");
        return clean + "-" + hash;
    }

    /**
     * A field of a MixTask ({@code spec.outputs[0].video.bitrate}, as admission and the SpecValidator name it) in the
     * request's terms ({@code MixOutput[0].bitrate}); a field with no counterpart is returned as it is.
     */
    public static String vendorField(String specField) {
        String f = specField;
        for (String[] r : VENDOR_FIELDS) {
            f = f.replaceAll(r[0], r[1]);
        }
        return f;
    }

    private static final String[][] VENDOR_FIELDS = {
            {"^spec\\.inputs\\[\\]", "MixInput[]"},
            {"^spec\\.inputs", "MixInput"},
            {"^spec\\.outputs\\[\\]", "MixOutput[]"},
            {"^spec\\.outputs", "MixOutput"},
            {"^(MixInput\\[\\d*\\])\\.(streamId|name)", "$1.stream_id"},
            {"^(MixInput\\[\\d*\\])\\.soundLevelId", "$1.sound_level_id"},
            {"^(MixInput\\[\\d*\\])\\.content", "$1.content_control"},
            {"^(MixInput\\[\\d*\\])\\.renderMode", "$1.render_mode"},
            {"^(MixOutput\\[\\d*\\])\\.(streamId|name)", "$1.stream_id"},
            {"^(MixOutput\\[\\d*\\])\\.url", "$1.mixurl"},
            {"^(MixOutput\\[\\d*\\])\\.video\\.rateControl", "$1.encode_mode"},
            {"^(MixOutput\\[\\d*\\])\\.video\\.quality", "$1.encode_qua"},
            {"^(MixOutput\\[\\d*\\])\\.video\\.codec", "extra_params.video_encode"},
            {"^(MixOutput\\[\\d*\\])\\.video\\.", "$1."},
            {"^(MixOutput\\[\\d*\\])\\.video$", "$1.width"},
            {"^(MixOutput\\[\\d*\\])\\.audio\\.codec", "$1.audio_enc_id"},
            {"^(MixOutput\\[\\d*\\])\\.audio\\.bitrate", "$1.audio_bitrate"},
            {"^(MixOutput\\[\\d*\\])\\.audio\\.channels", "$1.audio_channel_cnt"},
            {"^spec\\.background\\.color", "output_bg_color"},
            {"^spec\\.background\\.image", "output_bg_image"},
            {"^spec\\.watermark", "watermark"},
            {"^spec\\.userData", "userdata"},
            {"^spec\\.roomId", "live_channel"},
            {"^spec\\.seq", "seq"},
            {"^spec\\.bypass", "bypass"},
            {"^spec\\.soundLevel", "with_sound_level"},
            {"^spec\\.seiMode", "extra_params.sei_mode"},
            {"^spec\\.extraParams", "extra_params"},
    };

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
