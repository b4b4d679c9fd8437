package io.streammix.api.diff;

import io.streammix.api.ChangeClass;

/**
 * One difference between two specs: where (e.g. {@code inputs[1].rect}), what kind, and what it
 * costs a running task. {@link #toString()} is the form Events use: {@code inputs[1].rect: live}.
 *
 * @param path        the field path, relative to {@code spec}; list items by their index in the new
 *                    spec (in the old one for removed items)
 * @param kind        changed, added or removed
 * @param changeClass what applying it costs
 * @param output      for changes within one output, that output's index in the new spec (old spec when
 *                    removed); -1 otherwise
 */
public record FieldChange(String path, Kind kind, ChangeClass changeClass, int output) {
    public enum Kind {
        CHANGED, ADDED, REMOVED
    }

    @Override
    public String toString() {
        return path + (kind == Kind.CHANGED ? "" : " (" + kind.name().toLowerCase() + ")") + ": " + changeClass.label();
    }
}
