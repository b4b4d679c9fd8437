package io.streammix.startmix;

/** Values of a start-mix request as the document defines them: 0/1 switches, channel counts, colours, required numbers. */
final class StartMixValues {
    private StartMixValues() {
    }

    /** A 0/1 switch of the document, refused naming the field when it is anything else. */
    static Boolean flag(StartMixFields r, String key) {
        Long v = r.number(key);
        if (v != null && v != 0 && v != 1) {
            throw new StartMixException(key, "must be 0 or 1 (got " + v + ")");
        }
        return v == null ? null : v == 1;
    }

    /** 0xRRGGBBxx as a decimal integer (the low byte is not a colour) → #RRGGBB. */
    static String color(long value) {
        return String.format("#%06X", (value >>> 8) & 0xFFFFFF);
    }

    static Integer channels(Integer count, String at) {
        if (count == null) {
            return null;
        }
        return switch (count) {
            case 0, 1 -> 1;
            case 2 -> 2;
            default -> throw new StartMixException(at, "must be 0, 1 or 2 (got " + count + ")");
        };
    }

    static Integer positive(Integer v) {
        return v == null || v <= 0 ? null : v;
    }

    static int required(StartMixFields f, String key, String at) {
        Integer v = f.integer(key);
        if (v == null) {
            throw new StartMixException(at + "." + key, "is required");
        }
        return v;
    }
}
