package io.streammix.worker.engine.output;

import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.AudioEncoding;
import io.streammix.api.v1alpha1.MixOutput;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The audio encoders of one mix, shared by the outputs that encode its audio the same way: the same encoder (HE-AAC
 * and AAC-LC are both the AAC-LC encoder), bitrate and channels (the sample rate is the mix's). A ladder's rungs, each
 * with AAC 128k, encode the mixed audio once instead of once per rung. Only AAC is shared: its packets decode on their
 * own, so an output that joins a running encoder starts cleanly; MP3 frames lean on the previous ones (bit reservoir)
 * and Opus outputs are few, so each of those has an encoder of its own.
 */
public final class SharedAudioEncodes {
    /** What defines an encoder; {@code owner} makes an encoder private to one output. */
    private record Key(String encoder, int bitrate, int channels, Object owner) {
    }

    private final Map<Key, SharedAudioEncode> running = new HashMap<>();

    /**
     * Joins the encoder for this output's audio, opening it if none runs.
     *
     * @param from the output's first queued chunk, or MIN_VALUE (the next chunk the encoder gets)
     * @param out  takes a reference to each packet for the output's queue
     */
    synchronized AudioSubscriber join(MixOutput spec, int index, AudioCodec codec, String name, Object output, long from, Consumer<AVPacket> out) {
        AudioEncoding a = spec.audio == null ? new AudioEncoding() : spec.audio;
        String encoder = OutputCodecs.audioEncoder(codec);
        Key key = new Key(encoder, a.bitrateOrDefault(), a.channelsOrDefault(), encoder.equals("aac") ? null : output);
        SharedAudioEncode e = running.get(key);
        if (e == null || e.failure() != null) {
            String label = encoder + "-" + key.bitrate() + "-" + key.channels() + (key.owner() == null ? "" : "-" + name);
            SharedAudioEncode[] opened = new SharedAudioEncode[1];
            opened[0] = new SharedAudioEncode(OutputCodecs.openAudio(spec, index, codec, name), label, () -> forget(key, opened[0]));
            e = opened[0];
            running.put(key, e);
        }
        return e.subscribe(from, out, this);
    }

    /** An output is leaving {@code e}: when every one still there is, nobody feeds it again; flush it and let it go. */
    synchronized void left(SharedAudioEncode e) {
        if (e.allLeaving()) {
            running.values().remove(e);
            e.flushAndClose();
        }
    }

    private synchronized void forget(Key key, SharedAudioEncode e) {
        running.remove(key, e);
    }

    /** How many encoders are running (for tests). */
    synchronized int running() {
        return running.size();
    }
}
