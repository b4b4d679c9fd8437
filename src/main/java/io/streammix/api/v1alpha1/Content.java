package io.streammix.api.v1alpha1;

/** Which of an input's media are mixed (start-mix content_control: 0, 1, 2). */
public enum Content {
    AudioVideo,
    AudioOnly,
    VideoOnly;

    public boolean hasVideo() {
        return this != AudioOnly;
    }

    public boolean hasAudio() {
        return this != VideoOnly;
    }
}
