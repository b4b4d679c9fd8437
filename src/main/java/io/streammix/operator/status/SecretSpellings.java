package io.streammix.operator.status;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The spellings a Secret value may take in a URL or a log line (issue 21: a URL-encoded key was only partly replaced,
 * its long tokens were and the rest showed). Redaction replaces each of them whole: the value as it is; percent-encoded
 * as a whole component (every reserved character escaped) and as a path (slashes, colons and the like kept), each with
 * upper- and lower-case hex; form-encoded ({@code +} for a space); decoded, when the value holds escapes itself; and
 * base64, standard and URL-safe, with and without padding (basic-auth user info, tokens in a query). Stateless.
 */
final class SecretSpellings {
    /** Characters a URL path keeps unescaped (RFC 3986 pchar's sub-delims, ':' and '@', and '/'). */
    private static final String PATH_KEEPS = "/:@!$&'()*+,;=";

    private SecretSpellings() {
    }

    static Set<String> of(String value) {
        Set<String> s = new LinkedHashSet<>();
        s.add(value);
        for (String keep : new String[] {"", PATH_KEEPS}) {
            String upper = percentEncode(value, keep);
            s.add(upper);
            s.add(lowerHex(upper));
        }
        String form = URLEncoder.encode(value, StandardCharsets.UTF_8);
        s.add(form);
        s.add(lowerHex(form));
        if (value.indexOf('%') >= 0 || value.indexOf('+') >= 0) {
            try {
                s.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // not an encoded value
            }
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder e : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
            String b64 = e.encodeToString(bytes);
            s.add(b64);
            s.add(b64.replaceAll("=+$", ""));
        }
        s.removeIf(String::isEmpty);
        return s;
    }

    /** Every byte escaped but RFC 3986's unreserved characters and those in {@code keep}, with upper-case hex. */
    static String percentEncode(String value, String keep) {
        StringBuilder b = new StringBuilder();
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0 || keep.indexOf(c) >= 0)) {
                b.append(c);
            } else {
                b.append('%').append(String.format(Locale.ROOT, "%02X", x & 0xff));
            }
        }
        return b.toString();
    }

    /** The same text with the hex digits of its escapes in lower case. */
    static String lowerHex(String encoded) {
        StringBuilder b = new StringBuilder(encoded);
        for (int i = b.indexOf("%"); i >= 0 && i + 2 < b.length(); i = b.indexOf("%", i + 1)) {
            b.setCharAt(i + 1, Character.toLowerCase(b.charAt(i + 1)));
            b.setCharAt(i + 2, Character.toLowerCase(b.charAt(i + 2)));
        }
        return b.toString();
    }
}
