package io.streammix.worker.engine.sei;

import io.streammix.api.v1alpha1.SeiMode;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVFrameSideData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_SEI_UNREGISTERED;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_new_side_data;

/**
 * Decides, for each frame one output is about to encode, whether it is a keyframe and which SEI it carries
 * (docs/sei.md).
 *
 * <p>Keyframes: "attach userData to every keyframe" needs to know which frames become keyframes before they are
 * encoded, so this class, not the encoder, chooses them: the first frame, a frame the caller forces (a reconnect),
 * and then every {@code gop} frames after the last one, all sent with pict_type I. The encoder is opened so that it
 * adds none of its own (scene cut off, its keyint equal to this cadence, forced frames are IDR: see
 * {@code Encoder.video}).
 *
 * <p>SEI: for H.264, AV_FRAME_DATA_SEI_UNREGISTERED side data that libx264 writes as user_data_unregistered
 * (with {@code udu_sei}); for H.265, kept by pts and written into the frame's packet by {@link HevcSeiNal} (libx265
 * would prefix x265's own UUID). userData on every frame (EveryFrame) or on keyframes and on the first frame whose userData
 * differs from the last one attached (KeyframesAndChanges); sound levels on the first frame of every 100 ms window
 * of the output's timeline, so about ten a second at any fps of 10 and more, every frame below.
 */
public final class SeiStamper {
    private final SeiFeed feed;
    private final int fps;
    private final int gop;
    private long sinceKeyframe = -1;
    private byte[] lastUserData;
    private long lastLevelWindow = Long.MIN_VALUE;
    private final boolean sideData;
    /** H.265: the payloads of frames given to the encoder whose packet has not come out yet, by pts. */
    private final Map<Long, List<byte[]>> pending = new HashMap<>();

    /**
     * @param sideData true to attach SEI as frame side data (libx264), false to write it into packets (libx265)
     */
    public SeiStamper(SeiFeed feed, int fps, int gop, boolean sideData) {
        this.feed = feed;
        this.fps = fps;
        this.gop = gop;
        this.sideData = sideData;
    }

    /**
     * Sets the frame's pict_type (I for a keyframe, else the encoder's choice) and attaches the SEI it carries.
     *
     * @param forceKeyframe start a new cadence on this frame (after a reconnect)
     * @param pts           the frame's pts in 1/fps
     * @return whether the frame is a keyframe
     */
    public boolean stamp(AVFrame f, boolean forceKeyframe, long pts) {
        boolean key = forceKeyframe || sinceKeyframe < 0 || sinceKeyframe >= gop - 1;
        sinceKeyframe = key ? 0 : sinceKeyframe + 1;
        f.pict_type(key ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        List<byte[]> payloads = new ArrayList<>(2);
        SeiFeed.UserData user = feed.userData();
        if (user == null) {
            lastUserData = null;
        } else if (key || user.mode() == SeiMode.EveryFrame || !Arrays.equals(user.payload(), lastUserData)) {
            payloads.add(user.payload());
            lastUserData = user.payload();
        }
        long window = Math.floorDiv(pts * 10, fps);
        if (window != lastLevelWindow) {
            byte[] levels = feed.soundLevels();
            if (levels != null) {
                payloads.add(levels);
                lastLevelWindow = window;
            }
        }
        if (!payloads.isEmpty()) {
            if (sideData) {
                payloads.forEach(p -> attach(f, p));
            } else {
                pending.put(pts, payloads);
            }
        }
        return key;
    }

    /** Every encoded video packet passes here: H.265 packets get the SEI of their frame. Returns {@code pkt}. */
    public AVPacket packet(AVPacket pkt) {
        if (!sideData && !pending.isEmpty()) {
            List<byte[]> payloads = pending.remove(pkt.pts());
            if (payloads != null) {
                HevcSeiNal.insert(pkt, payloads);
            }
        }
        return pkt;
    }

    private static void attach(AVFrame f, byte[] payload) {
        AVFrameSideData sd = av_frame_new_side_data(f, AV_FRAME_DATA_SEI_UNREGISTERED, payload.length);
        if (sd == null || sd.isNull()) {
            throw new OutOfMemoryError("SEI side data");
        }
        sd.data().capacity(payload.length).put(payload);
    }
}
