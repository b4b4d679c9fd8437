package io.streammix.worker.engine.sei;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * The two user_data_unregistered SEI messages the mixer writes into its H.264/H.265 outputs (docs/sei.md).
 * A user_data_unregistered payload is a 16-byte UUID followed by free bytes; the UUIDs below are ours and
 * never change, so a player can pick our messages out of the others (x264 writes its own, with its settings).
 */
public final class SeiMessages {
    /** {@code spec.userData}: UUID, then the UTF-8 bytes of userData exactly as given (no terminator). */
    public static final UUID USER_DATA = UUID.fromString("c275c203-d063-416f-a012-c126b4cf4276");
    /** Sound levels: UUID, then UTF-8 JSON {@code {"levels":{"<soundLevelId>":<0..100>,...}}}. */
    public static final UUID SOUND_LEVELS = UUID.fromString("eac2297f-8c0d-43fe-a8fc-1ef56da45239");

    private SeiMessages() {
    }

    /** The SEI payload (what goes into AV_FRAME_DATA_SEI_UNREGISTERED): the UUID's 16 bytes, then {@code body}. */
    public static byte[] payload(UUID uuid, byte[] body) {
        return ByteBuffer.allocate(16 + body.length)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits())
                .put(body).array();
    }

    /** The UUID at the start of a payload, or null when it is shorter than 16 bytes. */
    public static UUID uuidOf(byte[] payload) {
        if (payload.length < 16) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        return new UUID(b.getLong(), b.getLong());
    }

    /** The bytes after the UUID. */
    public static byte[] bodyOf(byte[] payload) {
        byte[] body = new byte[Math.max(0, payload.length - 16)];
        System.arraycopy(payload, 16, body, 0, body.length);
        return body;
    }

    /**
     * The sound-level body: compact JSON, keys are soundLevelIds in decimal (JSON keys are strings), values the
     * levels 0..100, in input order. For example {@code {"levels":{"0":37,"1":0}}}.
     */
    public static byte[] soundLevels(Map<Long, Integer> levels) {
        StringBuilder s = new StringBuilder("{\"levels\":{");
        boolean first = true;
        for (Map.Entry<Long, Integer> e : levels.entrySet()) {
            if (!first) {
                s.append(',');
            }
            first = false;
            s.append('"').append(Long.toUnsignedString(e.getKey())).append("\":").append(e.getValue());
        }
        return s.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
