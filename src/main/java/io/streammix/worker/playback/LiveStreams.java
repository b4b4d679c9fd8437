package io.streammix.worker.playback;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the media port can play right now, by key (the output's streamId, else its name): the live FLV
 * broadcaster and the HLS directory of each published output. Outputs register when they open and unregister
 * when they stop; the media server only reads.
 */
public final class LiveStreams {
    private final Map<String, FlvBroadcaster> flv = new ConcurrentHashMap<>();
    private final Map<String, Path> hls = new ConcurrentHashMap<>();

    public void publishFlv(String key, FlvBroadcaster b) {
        flv.put(key, b);
    }

    public void unpublishFlv(String key, FlvBroadcaster b) {
        flv.remove(key, b);
    }

    public void publishHls(String key, Path dir) {
        hls.put(key, dir);
    }

    public void unpublishHls(String key, Path dir) {
        hls.remove(key, dir);
    }

    public FlvBroadcaster flv(String key) {
        return flv.get(key);
    }

    public Path hls(String key) {
        return hls.get(key);
    }

    /** A directory name for a key: the key itself when it is a plain file name, else a sanitized name plus a hash. */
    public static String dirName(String key) {
        String clean = key.replaceAll("[^A-Za-z0-9._-]", "_");
        if (clean.equals(key) && !clean.matches("\\.+")) {
            return clean;
        }
        return clean.replace('.', '_') + "-" + Integer.toHexString(key.hashCode());
    }
}
