package io.streammix.operator.spec;

import java.util.regex.Pattern;

/**
 * An entry of {@code mixtask.tenancy.allowed-images}, matched per component (issue 21: entries were string prefixes,
 * so {@code ghcr.io/streammix/mix*} allowed {@code ghcr.io/streammix/mix-evil/anything}). An image reference is a name
 * of '/'-separated components (the registry first), then an optional {@code :tag} and {@code @digest}.
 * <ul>
 *   <li>the pattern and the image have as many name components, each matched on its own: a component of the pattern is
 *   either spelled out or {@code *}, the whole component (any one repository at that level), so no pattern reaches
 *   deeper into a registry than it spells. A {@code *} inside a component ({@code mix*}) is not a pattern: it would
 *   allow {@code mix-evil} beside {@code mixer} (issue 21), and repositories are what a registry grants rights on,
 *   so an entry names them or all of one level; such an entry matches nothing ({@link #problem});</li>
 *   <li>a trailing {@code :*} matches any tag or digest (or none); another {@code :tag} must match the image's tag
 *   ({@code *} again within it: {@code :1.*}), and no digest; a pattern without a tag matches only an image without one;</li>
 *   <li>an image whose tag or digest is malformed, or with an empty, "." or ".." component, matches nothing.</li>
 * </ul>
 * Stateless.
 */
final class ImagePattern {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z][A-Za-z0-9_+.-]*:[0-9a-fA-F]{8,}");

    private ImagePattern() {
    }

    /** A reference split: name components, tag (null: none), digest (null: none). */
    private record Ref(String[] components, String tag, String digest) {
        static Ref parse(String ref) {
            String digest = null;
            int at = ref.indexOf('@');
            if (at >= 0) {
                digest = ref.substring(at + 1);
                ref = ref.substring(0, at);
            }
            String tag = null;
            int colon = ref.lastIndexOf(':');
            if (colon > ref.lastIndexOf('/')) {
                tag = ref.substring(colon + 1);
                ref = ref.substring(0, colon);
            }
            return new Ref(ref.split("/", -1), tag, digest);
        }
    }

    /** Why {@code pattern} matches nothing, for the admin; null when it is a pattern. */
    static String problem(String pattern) {
        for (String c : Ref.parse(pattern).components) {
            if (c.contains("*") && !c.equals("*")) {
                return "'*' stands for a whole name component (ghcr.io/team/*:*), never part of one ('" + c + "')";
            }
        }
        return null;
    }

    static boolean matches(String pattern, String image) {
        if (problem(pattern) != null) {
            return false;
        }
        Ref p = Ref.parse(pattern);
        Ref i = Ref.parse(image);
        if ((i.tag != null && !TAG.matcher(i.tag).matches()) || (i.digest != null && !DIGEST.matcher(i.digest).matches())
                || p.components.length != i.components.length) {
            return false;
        }
        for (int k = 0; k < p.components.length; k++) {
            String c = i.components[k];
            if (c.isEmpty() || c.equals(".") || c.equals("..") || !(p.components[k].equals("*") || p.components[k].equals(c))) {
                return false;
            }
        }
        if ("*".equals(p.tag) && p.digest == null) {
            return true;
        }
        if (p.digest != null) {
            return p.digest.equals(i.digest) && (p.tag == null || (i.tag != null && glob(p.tag, i.tag)));
        }
        return i.digest == null && (p.tag == null ? i.tag == null : i.tag != null && glob(p.tag, i.tag));
    }

    /** {@code *} as any run of characters of a tag (the caller passes a tag, never a '/'). */
    private static boolean glob(String pattern, String text) {
        String[] parts = pattern.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int k = 0; k < parts.length; k++) {
            if (k > 0) {
                re.append("[^/]*");
            }
            re.append(Pattern.quote(parts[k]));
        }
        return Pattern.matches(re.toString(), text);
    }
}
