package io.streammix.api.validation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The one reading of a file URL as a local path (issue 21, finding 2): what is checked is what is opened. The check
 * used to look at the undecoded text ({@code /vol/%2E%2E/x} is a file named "%2E%2E" inside the volume) while the
 * opener decoded it into {@code /vol/../x}. Now the worker's file check ({@code FileAccess}) and both openers
 * ({@code InputSource}, {@code OutputTarget}) call {@link #path}: a {@code file:} URL is percent-decoded exactly once
 * (as {@link java.net.URI#getPath} did), a plain path is taken literally (FFmpeg's file protocol does not decode it),
 * and a decoded path that another reader could still read differently is refused: one still holding an escape
 * ({@code %252E} decoded once), a backslash (a separator elsewhere), a NUL, or a {@code ..} segment.
 *
 * <p>Stateless; called from admission, the operator and the worker's apply and open threads.
 */
public final class LocalPath {
    private static final Pattern FILE_URL = Pattern.compile("^(?i:file):");
    private static final Pattern STILL_ENCODED = Pattern.compile("%[0-9A-Fa-f]{2}");
    private static final Pattern DOT_DOT = Pattern.compile("(^|/)[.][.](/|$)");

    private LocalPath() {
    }

    /** Why the file URL {@code url} names no path the worker can read one way only, or null; never quotes the path. */
    public static String refusal(String url) {
        String p = UrlPolicy.filePath(url);
        if (p == null) {
            return null;
        }
        String decoded;
        if (FILE_URL.matcher(url).find()) {
            int hash = p.indexOf('#');
            decoded = decode(hash < 0 ? p : p.substring(0, hash));
            if (decoded == null) {
                return "a file URL's escapes must be %XX and decode to UTF-8";
            }
            if (STILL_ENCODED.matcher(decoded).find()) {
                return "a file URL is decoded once: an escape that decodes to another escape (%25XX) is refused";
            }
        } else {
            decoded = p;
        }
        if (decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0) {
            return "no backslash or NUL in a file path (other readers take a backslash for a separator)";
        }
        if (DOT_DOT.matcher(decoded).find()) {
            return "no '..' path segments, also not percent-encoded (%2E%2E)";
        }
        return null;
    }

    /** The local path a file URL or plain path opens, decoded once; throws IllegalArgumentException naming the rule. */
    public static Path path(String url) {
        String refused = refusal(url);
        if (refused != null) {
            throw new IllegalArgumentException("refused by the file path policy: " + refused);
        }
        String p = UrlPolicy.filePath(url);
        if (p == null) {
            throw new IllegalArgumentException("not a file URL");
        }
        if (FILE_URL.matcher(url).find()) {
            int hash = p.indexOf('#');
            p = decode(hash < 0 ? p : p.substring(0, hash));
        }
        return Path.of(p);
    }

    /** Percent-decoding of a URL path (no '+' for space); null for a broken escape or bytes that are not UTF-8. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
